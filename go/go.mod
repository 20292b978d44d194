module github.com/meshery/relationship-evaluator/go

go 1.25.0

require (
	github.com/tetratelabs/wazero v1.12.0
	go.yaml.in/yaml/v3 v3.0.6
)

require golang.org/x/sys v0.44.0 // indirect
