package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	evaluator "github.com/meshery/relationship-evaluator/go"
	"github.com/meshery/relationship-evaluator/go/loader"
	"github.com/meshery/relationship-evaluator/go/server"
)

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, ok := parseArguments(args)
	if !ok || len(a.positional) != 0 || a.addr == "" || len(a.relationships) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	definitions, err := loader.Definitions(a.relationships...)
	var usageError *loader.UsageError
	if errors.As(err, &usageError) {
		fmt.Fprintln(stderr, "relationship-evaluator: "+usageError.Message)
		return 2
	}
	if err != nil {
		writeErrorJSON(stderr, &evaluator.Error{Code: evaluator.CodeInvalidJSON, Message: err.Error()})
		return 1
	}
	handler, err := server.NewHandler(ctx, definitions, evaluator.Options{EngineOptions: []byte(a.options), CompilationCache: compilationCache()})
	if err != nil {
		writeErrorJSON(stderr, err)
		return 1
	}
	defer handler.Close(context.Background())
	listener, err := net.Listen("tcp", a.addr)
	if err != nil {
		writeErrorJSON(stderr, err)
		return 1
	}
	mux := http.NewServeMux()
	mux.Handle(server.Path, handler)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving %s on http://%s\n", server.Path, listener.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()
	select {
	case err := <-served:
		writeErrorJSON(stderr, err)
		return 1
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let requests in flight finish (bounded).
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		writeErrorJSON(stderr, err)
		return 1
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		writeErrorJSON(stderr, err)
		return 1
	}
	return 0
}
