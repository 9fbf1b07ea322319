package notify

import (
	"errors"
	"slices"
	"testing"
)

// fakeNative records what the Desktop asks of a native service.
type fakeNative struct {
	err      error
	next     uint32
	replaces []uint32
	sent     []Notification
	closed   []uint32
}

func (f *fakeNative) notify(n Notification, replaces uint32) (uint32, error) {
	if f.err != nil {
		return 0, f.err
	}
	f.sent = append(f.sent, n)
	f.replaces = append(f.replaces, replaces)
	if replaces != 0 {
		return replaces, nil
	}
	f.next++
	return f.next, nil
}

func (f *fakeNative) closeID(id uint32) error { f.closed = append(f.closed, id); return nil }
func (f *fakeNative) capabilities() (Capabilities, error) {
	return Capabilities{Service: "fake", Actions: true}, f.err
}
func (f *fakeNative) close() error { return nil }

func newTestDesktop(nat *fakeNative, send func(string, string, any) error, fallback func(string, string) error) *Desktop {
	d := &Desktop{Fallback: fallback, send: send, byKey: map[string]uint32{}, byID: map[uint32]string{}}
	if nat != nil {
		d.native = nat
	}
	return d
}

func TestSendFallbacks(t *testing.T) {
	errBus := errors.New("org.freedesktop.Notifications was not provided")
	tests := []struct {
		name                     string
		noNative                 bool
		nativeErr, sendErr, fErr error
		noFallback               bool
		wantErr                  bool
		wantBeeep, wantFallback  bool
	}{
		{name: "native delivers"},
		{name: "no native: beeep delivers", noNative: true, wantBeeep: true},
		{name: "native fails, beeep saves it", nativeErr: errBus, wantBeeep: true},
		{name: "native and beeep fail, fallback saves it", nativeErr: errBus, sendErr: errBus, wantBeeep: true, wantFallback: true},
		{name: "all fail", nativeErr: errBus, sendErr: errBus, fErr: errors.New("no daemon"), wantBeeep: true, wantFallback: true, wantErr: true},
		{name: "no fallback", noNative: true, sendErr: errBus, noFallback: true, wantBeeep: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beeeped, fellBack := false, false
			var nat *fakeNative
			if !tt.noNative {
				nat = &fakeNative{err: tt.nativeErr}
			}
			send := func(string, string, any) error { beeeped = true; return tt.sendErr }
			var fb func(string, string) error
			if !tt.noFallback {
				fb = func(string, string) error { fellBack = true; return tt.fErr }
			}
			d := newTestDesktop(nat, send, fb)
			err := d.Send(Loud("k", "t", "b"))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !errors.Is(err, ErrUndelivered) {
				t.Fatalf("error does not wrap ErrUndelivered: %v", err)
			}
			if err != nil && tt.nativeErr != nil && !errors.Is(err, tt.nativeErr) {
				t.Fatalf("error hides the native cause: %v", err)
			}
			if beeeped != tt.wantBeeep || fellBack != tt.wantFallback {
				t.Fatalf("beeep used %v, fallback used %v", beeeped, fellBack)
			}
			if (d.LastError() != nil) != tt.wantErr {
				t.Fatalf("LastError = %v", d.LastError())
			}
		})
	}
}

func TestReplaceDismissAndActions(t *testing.T) {
	nat := &fakeNative{}
	d := newTestDesktop(nat, nil, nil)
	var got [][2]string
	d.OnAction(func(key, action string) { got = append(got, [2]string{key, action}) })

	must(t, d.Send(Loud("am/1", "Disk full", "db-1")))
	must(t, d.Send(Loud("am/2", "CPU", "web-1")))
	must(t, d.Send(Loud("am/1", "Disk full (2)", "db-1")))
	if want := []uint32{0, 0, 1}; !slices.Equal(nat.replaces, want) {
		t.Fatalf("replaces ids = %v, want %v (same key replaces its bubble)", nat.replaces, want)
	}

	d.event(2, ActionAck, false)
	d.event(2, ActionDismissed, true)
	d.event(99, ActionAck, false) // not ours
	if want := [][2]string{{"am/2", ActionAck}, {"am/2", ActionDismissed}}; !slices.Equal(got, want) {
		t.Fatalf("callbacks = %v, want %v", got, want)
	}
	must(t, d.Send(Loud("am/2", "CPU", "web-1")))
	if r := nat.replaces[len(nat.replaces)-1]; r != 0 {
		t.Fatalf("a closed bubble was replaced (id %d) instead of sent anew", r)
	}

	must(t, d.Dismiss("am/1"))
	must(t, d.Dismiss("am/1"))
	must(t, d.Dismiss("never-sent"))
	if want := []uint32{1}; !slices.Equal(nat.closed, want) {
		t.Fatalf("closed ids = %v, want %v", nat.closed, want)
	}
}

func TestOneOffBubblesAreNotTracked(t *testing.T) {
	nat := &fakeNative{}
	d := newTestDesktop(nat, nil, nil)
	must(t, d.Send(Quiet("", "3 deferred pages", "…")))
	must(t, d.Send(Quiet("", "3 deferred pages", "…")))
	if want := []uint32{0, 0}; !slices.Equal(nat.replaces, want) {
		t.Fatalf("replaces = %v: keyless bubbles must not replace each other", nat.replaces)
	}
}

func TestNotificationShapes(t *testing.T) {
	l := Loud("k", "t", "b")
	if l.Urgency != Critical || !l.Sticky || len(l.Actions) != 3 {
		t.Fatalf("Loud = %+v", l)
	}
	if keys := []string{l.Actions[0].Key, l.Actions[1].Key, l.Actions[2].Key}; !slices.Equal(keys, []string{ActionAck, ActionLook, ActionOpen}) {
		t.Fatalf("Loud actions = %v", keys)
	}
	q := Quiet("k", "t", "b")
	if q.Urgency != Normal || q.Sticky || len(q.Actions) != 0 {
		t.Fatalf("Quiet = %+v", q)
	}
	if (Notification{}).Urgency != Normal {
		t.Fatal("the zero urgency is not Normal")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
