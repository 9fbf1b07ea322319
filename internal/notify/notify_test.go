package notify

import (
	"errors"
	"testing"
)

func TestSend(t *testing.T) {
	errBus := errors.New("org.freedesktop.Notifications was not provided")
	tests := []struct {
		name              string
		sendErr, fallErr  error
		noFallback        bool
		loud              bool
		wantErr, wantBeep bool
	}{
		{name: "ok quiet"},
		{name: "ok loud beeps", loud: true, wantBeep: true},
		{name: "fallback saves it", sendErr: errBus, loud: true, wantBeep: true},
		{name: "both fail", sendErr: errBus, fallErr: errors.New("no daemon"), loud: true, wantErr: true},
		{name: "no fallback", sendErr: errBus, noFallback: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beeped, fellBack := false, false
			d := &Desktop{Sound: true,
				send: func(string, string, any) error { return tt.sendErr },
				beep: func(float64, int) error { beeped = true; return errors.New("no speaker") },
			}
			if !tt.noFallback {
				d.Fallback = func(string, string) error { fellBack = true; return tt.fallErr }
			}
			err := d.Send(Notification{Title: "t", Body: "b", Loud: tt.loud})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !errors.Is(err, ErrUndelivered) {
				t.Fatalf("error does not wrap ErrUndelivered: %v", err)
			}
			if beeped != tt.wantBeep {
				t.Fatalf("beeped = %v", beeped)
			}
			if fellBack != (tt.sendErr != nil && !tt.noFallback) {
				t.Fatalf("fallback used = %v", fellBack)
			}
			if (d.LastError() != nil) != tt.wantErr {
				t.Fatalf("LastError = %v", d.LastError())
			}
		})
	}
}
