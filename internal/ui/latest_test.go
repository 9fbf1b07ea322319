package ui

import (
	"testing"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// View-models offered while an apply waits replace the waiting one: one
// apply, with the newest, and readiness is never lost.
func TestLatestVMKeepsOnlyTheNewest(t *testing.T) {
	var l latestVM
	vm := func(waiting int) allVM { return allVM{pages: viewmodel.PagesVM{Waiting: waiting}} }
	if !l.offer(vm(1), true) {
		t.Fatal("the first offer queued no apply")
	}
	if l.offer(vm(2), false) || l.offer(vm(3), false) {
		t.Fatal("an offer queued a second apply while one was waiting")
	}
	got, ready, ok := l.take()
	if !ok || got.pages.Waiting != 3 || !ready {
		t.Fatalf("took waiting=%d ready=%v ok=%v, want the newest (3), ready from the first", got.pages.Waiting, ready, ok)
	}
	if _, _, ok := l.take(); ok {
		t.Error("a second take found a view-model nobody offered")
	}
	if !l.offer(vm(4), false) {
		t.Error("after the apply ran, an offer queued none")
	}
	if got, ready, _ := l.take(); got.pages.Waiting != 4 || ready {
		t.Errorf("took waiting=%d ready=%v, want 4, not ready", got.pages.Waiting, ready)
	}
}
