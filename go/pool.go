package evaluator

import (
	"context"
	"sync"
)

// pool hands out instances one caller at a time. Instances are created lazily, up to size; a
// broken one is closed on return and its slot freed, so a trap or a cancelled call never shrinks
// the pool.
type pool struct {
	slots  chan struct{}  // one token per instance that may exist
	idle   chan *instance // instances ready for a call
	create func(context.Context) (*instance, error)

	mu                 sync.Mutex
	closed             bool
	busy               int
	created, discarded int64
}

func newPool(size int, create func(context.Context) (*instance, error)) *pool {
	return &pool{slots: make(chan struct{}, size), idle: make(chan *instance, size), create: create}
}

// get returns an idle instance, or creates one when a slot is free, or waits.
func (p *pool) get(ctx context.Context) (*instance, error) {
	for {
		if err := p.checkOpen(); err != nil {
			return nil, err
		}
		select {
		case in := <-p.idle:
			p.count(func() { p.busy++ })
			return in, nil
		default:
		}
		select {
		case in := <-p.idle:
			p.count(func() { p.busy++ })
			return in, nil
		case p.slots <- struct{}{}:
			in, err := p.create(ctx)
			if err != nil {
				<-p.slots
				return nil, err
			}
			p.count(func() { p.busy++; p.created++ })
			return in, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// put takes an instance back: idle again when healthy, else closed and its slot freed.
func (p *pool) put(ctx context.Context, in *instance) {
	p.mu.Lock()
	p.busy--
	closed := p.closed
	if in.broken || closed {
		p.discarded++
	}
	p.mu.Unlock()
	if in.broken || closed {
		in.close(context.WithoutCancel(ctx))
		<-p.slots
		return
	}
	p.idle <- in
}

func (p *pool) checkOpen() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	return nil
}

func (p *pool) count(change func()) {
	p.mu.Lock()
	change()
	p.mu.Unlock()
}

func (p *pool) stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{Busy: p.busy, Created: p.created, Discarded: p.discarded}
	// Drain and refill to measure idle instances without racing a get.
	var idle []*instance
	for {
		select {
		case in := <-p.idle:
			idle = append(idle, in)
			continue
		default:
		}
		break
	}
	for _, in := range idle {
		s.MemoryBytes += uint64(in.memoryBytes())
		p.idle <- in
	}
	s.Idle = len(idle)
	return s
}

// close marks the pool closed and closes the idle instances; busy ones are closed on return.
func (p *pool) close(ctx context.Context) {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	for {
		select {
		case in := <-p.idle:
			in.close(ctx)
			<-p.slots
		default:
			return
		}
	}
}
