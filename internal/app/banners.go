package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/registry"
)

const demoBanner = "Demo data: these pages and this calendar are made up. Add a real source in the Sources tab, or run `standby source add`."

// currentBanners computes the banners from the causes that hold now (the
// demo, the config file, the sources of the engine in use, the calendars,
// notification delivery), each once: a cause that went away takes its
// banner with it.
func (s *Service) currentBanners(snap Snapshot, kinds map[string]string, now time.Time) []Banner {
	var out []Banner
	if snap.Demo {
		out = append(out, Banner{Level: "info", Text: demoBanner})
	}
	if err := s.settings.LoadErr(); err != nil {
		out = append(out, Banner{Level: "error",
			Text: fmt.Sprintf("Your configuration could not be read, so Standby runs with defaults and will not overwrite it: %v", err)})
	} else if s.settings.Migrated() {
		out = append(out, Banner{Level: "info", Text: "Your configuration is from an older Standby; it is read as is and upgraded the next time you save settings."})
	}
	if b, ok := s.LoginStartNotice(); ok {
		out = append(out, b)
	}
	out = append(out, s.pages.Load().banners...)
	out = append(out, s.banners...)
	for _, kind := range kinds {
		if d, ok := registry.Lookup(source.Kind(kind)); ok && d.Notice != nil {
			out = append(out, Banner{Level: "warning", Text: d.Notice(now)})
		}
	}
	if b, ok := s.alarmBanner(); ok {
		out = append(out, b)
	}
	if snap.NotifyErr != "" {
		out = append(out, Banner{Level: "error", Text: fmt.Sprintf("Desktop notifications are failing, so pages only show here and in the tray (%s). Is a notification daemon running? `standby doctor` checks.", firstCause(snap.NotifyErr))})
	}
	return dedupBanners(out)
}

// alarmErrer is an Alarm that tells why its last sound was not heard
// (alarm.Player: nil after a sound that played).
type alarmErrer interface{ LastError() error }

// alarmBanner says that the alarm could not be heard, while the Sound
// setting is on and the last attempt failed (an audio server that went
// away, no device): loud pages then only show bubbles, which at 3 a.m.
// wake nobody, so it stays until a sound plays again.
func (s *Service) alarmBanner() (Banner, bool) {
	a, ok := s.opts.Alarm.(alarmErrer)
	var err error
	if ok {
		err = a.LastError()
	}
	if err == nil {
		s.alarmTold.Store(nil) // a failure told from now on is news
	}
	if err == nil || !s.Config().Notify.Sound {
		return Banner{}, false
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return Banner{Level: "error", Text: fmt.Sprintf("The alarm could not be heard (%s): loud pages show bubbles but make no sound. Settings → Test alarm tries again; `standby doctor` checks.", msg)}, true
}

// dedupBanners keeps the first of equal banners, in order.
func dedupBanners(in []Banner) []Banner {
	out := in[:0:0]
	for _, b := range in {
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}
