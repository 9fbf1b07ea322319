//go:build linux || freebsd || netbsd || openbsd

package cli_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/standby-oncall/standby/internal/cli"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/notify/notifytest"
	"github.com/standby-oncall/standby/internal/secrets"
)

// doctor runs `standby doctor` with the alarm check replaced (the
// process has one audio device, opened once; the alarm package tests the
// real one against PulseAudio).
func doctor(t *testing.T, alarmCheck func(context.Context) (string, error)) (stdout string, code int) {
	t.Helper()
	w := newWorld(t, "")
	var out, errb bytes.Buffer
	code = cli.Main([]string{"--config", w.config, "doctor"}, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Secrets: secrets.New(keyringService), StatePath: w.state, CheckAlarm: alarmCheck,
	})
	return out.String(), code
}

func alarmPlays(context.Context) (string, error) { return "played the alarm (2.0 s)", nil }

// line returns the doctor's line for check, failing unless there is
// exactly one.
func line(t *testing.T, out, check string) string {
	t.Helper()
	var found []string
	for l := range strings.Lines(out) {
		if strings.Contains(l, " "+check+" ") {
			found = append(found, strings.TrimSpace(l))
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d lines for %q in:\n%s", len(found), check, out)
	}
	return found[0]
}

// trayHost owns the StatusNotifierWatcher name on the session bus, so the
// tray check passes and the exit code is about the checks under test.
func trayHost(t *testing.T) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking the watcher name: %v %v", reply, err)
	}
}

func TestDoctorNotificationsAndAlarm(t *testing.T) {
	t.Run("all good", func(t *testing.T) {
		notifytest.Bus(t)
		trayHost(t)
		srv := notifytest.NewServer(t, "actions", "body")
		out, code := doctor(t, alarmPlays)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		if l := line(t, out, "notifications"); !strings.HasPrefix(l, "✓") || !strings.Contains(l, "notifytest 1.0") || !strings.Contains(l, "buttons supported") {
			t.Errorf("notifications: %q", l)
		}
		if l := line(t, out, "alarm sound"); !strings.HasPrefix(l, "✓") || !strings.Contains(l, "played the alarm") {
			t.Errorf("alarm sound: %q", l)
		}
		calls := srv.Calls()
		if len(calls) != 1 || !slices.Equal(calls[0].ActionKeys()[:3], []string{notify.ActionAck, notify.ActionLook, notify.ActionOpen}) {
			t.Fatalf("the test bubble: %+v", calls)
		}
	})
	t.Run("no actions", func(t *testing.T) {
		notifytest.Bus(t)
		trayHost(t)
		notifytest.NewServer(t, "body")
		out, code := doctor(t, alarmPlays)
		if l := line(t, out, "notifications"); code == 0 || !strings.HasPrefix(l, "✗") || !strings.Contains(l, "no actions support") {
			t.Errorf("exit %d, notifications: %q", code, l)
		}
	})
	t.Run("no audio device", func(t *testing.T) {
		notifytest.Bus(t)
		trayHost(t)
		notifytest.NewServer(t, "actions")
		out, code := doctor(t, func(context.Context) (string, error) {
			return "", errors.New("no audio device: alsa: snd_pcm_open failed")
		})
		if l := line(t, out, "alarm sound"); code == 0 || !strings.HasPrefix(l, "✗") || !strings.Contains(l, "no audio device") {
			t.Errorf("exit %d, alarm sound: %q", code, l)
		}
	})
}

// TestDoctorWithoutNotificationService: with no session bus at all the
// doctor says there is no notification service, in one line, and fails.
func TestDoctorWithoutNotificationService(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	out, code := doctor(t, alarmPlays)
	if code == 0 {
		t.Fatalf("exit 0 without a notification service:\n%s", out)
	}
	if l := line(t, out, "notifications"); !strings.HasPrefix(l, "✗") || !strings.Contains(l, "no notification service") {
		t.Fatalf("notifications: %q", l)
	}
}
