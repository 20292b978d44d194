module github.com/meshery/relationship-evaluator/go

go 1.26.8

require github.com/tetratelabs/wazero v1.12.0

require (
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.44.0 // indirect
)
