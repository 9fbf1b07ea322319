package ui

import "sync"

// latestVM hands view-models from the follow loop to the UI goroutine,
// newest first: while one apply waits for the UI goroutine (busy drawing,
// or not yet running at start), newer view-models replace the waiting one
// instead of queueing behind it, so each is applied at most once and a
// burst of changes costs one apply. At start that is the window creation:
// the loop computed several view-models before the first could be
// applied, and each was applied in turn (20–30 ms each with 500 pages).
type latestVM struct {
	mu     sync.Mutex
	vm     *allVM
	ready  bool // vm shows real data ("standby: ready" may be said)
	queued bool // an apply is queued on the UI goroutine
}

// offer keeps vm as the newest; it reports whether the caller must queue
// an apply (none is queued yet).
func (l *latestVM) offer(vm allVM, ready bool) (queue bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.vm, l.ready = &vm, l.ready || ready
	queue = !l.queued
	l.queued = true
	return queue
}

// take returns the newest view-model for the queued apply (ok false if
// there is none) and lets the next offer queue another.
func (l *latestVM) take() (vm allVM, ready, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queued = false
	if l.vm == nil {
		return allVM{}, false, false
	}
	vm, ready = *l.vm, l.ready
	l.vm, l.ready = nil, false
	return vm, ready, true
}
