package evaluator

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// instance is one module instance: its own linear memory and one evaluator inside. It is not safe
// for concurrent use; the pool and Session give it to one caller at a time.
type instance struct {
	module api.Module
	// broken is set when a call died mid-way (a trap, a cancelled context): the instance's memory
	// can no longer be trusted, so it is closed instead of reused.
	broken bool
}

// tagOK and tagErr are the first byte of every result buffer (src/cabi/mod.rs).
const (
	tagOK  = 0
	tagErr = 1
)

func instantiate(ctx context.Context, runtime wazero.Runtime, compiled wazero.CompiledModule) (*instance, error) {
	// An empty name lets any number of instances of one compiled module live side by side.
	module, err := runtime.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, fmt.Errorf("instantiating the engine: %w", err)
	}
	return &instance{module: module}, nil
}

// call runs an export with byte-slice arguments and returns the ok payload, or an error: *Error
// for an error the engine returned, a context error when ctx ended the call, or *Error with
// CodeInternal (a trap) or CodeLimitExceeded (the memory cap) when the instance died; then it is
// marked broken.
func (in *instance) call(ctx context.Context, name string, arguments ...[]byte) ([]byte, error) {
	if in.broken {
		return nil, &Error{Code: CodePoisoned, Message: "this engine instance stopped mid-call earlier and can no longer be used"}
	}
	function := in.module.ExportedFunction(name)
	if function == nil {
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("the engine module has no export %q", name)}
	}
	params := make([]uint64, 0, 2*len(arguments))
	for _, argument := range arguments {
		pointer, err := in.copyIn(ctx, argument)
		if err != nil {
			return nil, in.died(ctx, name, err)
		}
		defer in.free(ctx, pointer, uint32(len(argument)))
		params = append(params, uint64(pointer), uint64(len(argument)))
	}
	results, err := function.Call(ctx, params...)
	if err != nil {
		return nil, in.died(ctx, name, err)
	}
	return in.takeResult(ctx, results[0])
}

// copyIn copies an argument into memory the module allocated for it.
func (in *instance) copyIn(ctx context.Context, argument []byte) (uint32, error) {
	results, err := in.module.ExportedFunction("re_alloc").Call(ctx, uint64(len(argument)))
	if err != nil {
		return 0, err
	}
	pointer := uint32(results[0])
	if !in.module.Memory().Write(pointer, argument) {
		return 0, fmt.Errorf("re_alloc returned %d, outside memory", pointer)
	}
	return pointer, nil
}

func (in *instance) free(ctx context.Context, pointer, length uint32) {
	if in.broken {
		return
	}
	if _, err := in.module.ExportedFunction("re_dealloc").Call(ctx, uint64(pointer), uint64(length)); err != nil {
		in.broken = true
	}
}

// takeResult reads the tagged result buffer, copies it out and frees it.
func (in *instance) takeResult(ctx context.Context, packed uint64) ([]byte, error) {
	pointer, length := uint32(packed>>32), uint32(packed)
	view, ok := in.module.Memory().Read(pointer, length)
	if !ok || length == 0 {
		in.broken = true
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("the engine returned a result buffer outside its memory (%d bytes at %d)", length, pointer)}
	}
	tag := view[0]
	payload := append([]byte(nil), view[1:]...)
	in.free(ctx, pointer, length)
	switch tag {
	case tagOK:
		return payload, nil
	case tagErr:
		return nil, decodeError(payload)
	default:
		in.broken = true
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("the engine returned an unknown result tag %d", tag)}
	}
}

// died classifies the failure of a call that did not return normally and marks the instance
// broken: a context that ended it, the memory cap, or a trap (a panic in the Rust core).
func (in *instance) died(ctx context.Context, name string, cause error) error {
	in.broken = true
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s stopped: %w", name, ctxErr)
	}
	if in.allocationFailed() {
		return &Error{Code: CodeLimitExceeded, Message: fmt.Sprintf("memory limit: %s needed more memory than an instance may have (Options.MemoryLimitBytes); %v", name, cause)}
	}
	return &Error{Code: CodeInternal, Message: fmt.Sprintf("the engine trapped in %s and its instance was discarded: %v", name, cause)}
}

// allocationFailed asks the trapped module whether an allocation failed. The flag is read with a
// fresh call, which a trap leaves possible (the module is not closed by a trap).
func (in *instance) allocationFailed() bool {
	if in.module.IsClosed() {
		return false
	}
	results, err := in.module.ExportedFunction("re_allocation_failed").Call(context.Background())
	return err == nil && len(results) == 1 && results[0] == 1
}

// memoryBytes is the size of the instance's linear memory.
func (in *instance) memoryBytes() uint32 {
	return in.module.Memory().Size()
}

func (in *instance) close(ctx context.Context) {
	_ = in.module.Close(ctx)
}
