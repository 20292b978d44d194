// Command relationship-evaluator evaluates Meshery designs with the embedded engine.
//
//	relationship-evaluator evaluate <design.json|yaml|-> --relationships <file|dir>... [--options <json>]
//	relationship-evaluator serve --addr 127.0.0.1:PORT --relationships <dir>... [--options <json>]
//
// evaluate prints the EvaluationResponse exactly as the Rust CLI (examples/evaluate) does; on
// error it prints {"code","message","path"} to stderr and exits 1 (bad input) or 2 (bad usage).
// serve answers Meshery's POST /api/registry/relationships/evaluate until SIGINT or SIGTERM,
// then shuts down gracefully.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: relationship-evaluator evaluate <design.json|yaml|-> --relationships <file-or-dir>... [--options <json>]
       relationship-evaluator serve --addr 127.0.0.1:PORT --relationships <file-or-dir>... [--options <json>]`

// run is the command without the process: arguments in, exit code out.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "evaluate":
		return evaluateCommand(ctx, args[1:], stdin, stdout, stderr)
	case "serve":
		return serveCommand(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}
}

// arguments are the flags both subcommands share, parsed the way the Rust CLI parses them.
type arguments struct {
	positional    []string
	relationships []string
	options       string
	addr          string
}

func parseArguments(args []string) (arguments, bool) {
	var a arguments
	for i := 0; i < len(args); i++ {
		value := func() (string, bool) {
			if i+1 >= len(args) {
				return "", false
			}
			i++
			return args[i], true
		}
		var ok = true
		switch args[i] {
		case "--relationships", "-r":
			var v string
			v, ok = value()
			a.relationships = append(a.relationships, v)
		case "--options", "-o":
			a.options, ok = value()
		case "--addr":
			a.addr, ok = value()
		case "--help", "-h":
			return a, false
		default:
			a.positional = append(a.positional, args[i])
		}
		if !ok {
			return a, false
		}
	}
	return a, true
}
