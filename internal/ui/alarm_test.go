package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// TestSettingsTestAlarm: the button plays the alarm through the service
// off the UI goroutine and says how it went, in words.
func TestSettingsTestAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()

		test.Tap(v.testAlarm)
		synctest.Wait()
		if calls, _ := svc.recorded(); !slices.Contains(calls, "test-alarm") {
			t.Fatalf("calls %v: the button did not test the alarm", calls)
		}
		if v.alarmStatus.Text != "The alarm played on the default audio output. Did you hear it?" || v.testAlarm.Disabled() {
			t.Fatalf("after a good test: %q, button disabled %v", v.alarmStatus.Text, v.testAlarm.Disabled())
		}

		svc.alarmErr = errors.New("playing the alarm: no audio device: oto: ALSA error")
		test.Tap(v.testAlarm)
		synctest.Wait()
		if v.alarmStatus.Text != "The alarm did not play: playing the alarm: no audio device: oto: ALSA error" {
			t.Fatalf("after a failed test: %q", v.alarmStatus.Text)
		}
	})
}

// TestSettingsRingOnceIsSaved: the "ring once" box is saved with the rest.
func TestSettingsRingOnceIsSaved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		var box *widget.Check
		for _, it := range v.form.Items {
			if c, ok := it.Widget.(*widget.Check); ok && strings.HasPrefix(c.Text, "Ring once") {
				box = c
			}
		}
		if box == nil || box.Checked {
			t.Fatalf("no unchecked Ring once box (%v)", box)
		}
		test.Tap(box)
		v.form.OnSubmit()
		synctest.Wait()
		if n := svc.Config().Notify; !n.RingOnce || !n.Sound {
			t.Fatalf("saved notify settings %+v, want ring once (and sound kept)", n)
		}
	})
}

func TestTrayOffersSilenceWhileTheAlarmRings(t *testing.T) {
	silenced := 0
	a := TrayActions{Open: func() {}, Silence: func() { silenced++ }}
	vm := viewmodel.TrayVM{Status: "1 page waiting", Schedule: "On call", Ringing: true}
	m := trayMenu(vm, a)
	got := labels(m)
	i := slices.Index(got, "Silence alarm")
	if i < 0 {
		t.Fatalf("no Silence alarm while ringing: %q", got)
	}
	m.Items[i].Action()
	if silenced != 1 {
		t.Fatalf("Silence alarm ran %d times", silenced)
	}
	vm.Ringing = false
	if slices.Contains(labels(trayMenu(vm, a)), "Silence alarm") {
		t.Fatal("Silence alarm offered while nothing rings")
	}
}

func TestTrayViewModelFollowsTheAlarm(t *testing.T) {
	if !viewmodel.Tray(app.Snapshot{AlarmRinging: true}, time.UTC).Ringing {
		t.Fatal("the tray does not know the alarm rings")
	}
	if viewmodel.Tray(app.Snapshot{}, time.UTC).Ringing {
		t.Fatal("the tray thinks the alarm rings")
	}
}

func TestPagesTabOffersSilenceWhileTheAlarmRings(t *testing.T) {
	test.NewTempApp(t)
	silenced := 0
	v := newPagesView(PageActions{Silence: func() { silenced++ }})
	w := test.NewWindow(v.root)
	defer w.Close()
	if v.silence.Visible() {
		t.Fatal("Silence alarm shown before anything rang")
	}
	v.apply(viewmodel.Pages(app.Snapshot{AlarmRinging: true}))
	if !v.silence.Visible() {
		t.Fatal("Silence alarm hidden while the alarm rings")
	}
	test.Tap(v.silence)
	if silenced != 1 {
		t.Fatalf("Silence alarm ran %d times", silenced)
	}
	v.apply(viewmodel.Pages(app.Snapshot{}))
	if v.silence.Visible() {
		t.Fatal("Silence alarm still shown after the alarm stopped")
	}
}
