package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/assets"
	"github.com/standby-oncall/standby/internal/alarm"
	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/appid"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/trayhost"
)

// DoctorCmd checks the environment.
type DoctorCmd struct{}

// Run prints one line per check and fails if any check failed.
func (DoctorCmd) Run(g *Globals, env *Env) error {
	failed := 0
	check := func(name string, err error, ok string) {
		if err != nil {
			failed++
			fmt.Fprintf(env.Stdout, "✗ %-14s %v\n", name, err)
			return
		}
		fmt.Fprintf(env.Stdout, "✓ %-14s %s\n", name, ok)
	}
	tray := trayhost.Probe()
	if tray.Host {
		check("tray", nil, "a tray host is running")
	} else {
		check("tray", errors.New(tray.Reason), "")
	}
	doctorDesktop(env, check)
	doctorApp(context.Background(), g, env, check)
	if failed > 0 {
		return fmt.Errorf("%d check(s) failed", failed)
	}
	return nil
}

// alarmCheckTimeout bounds the doctor's sound check (the alarm plays for
// a few seconds; a hung audio server must not hang the doctor).
const alarmCheckTimeout = 15 * time.Second

// doctorDesktop sends a test bubble with the page actions and plays the
// alarm once, and says what did not work: no notification service, no
// actions support, no audio device.
func doctorDesktop(env *Env, check func(string, error, string)) {
	msg, err := notify.Check(appid.Name, assets.AppIconPNG)
	check("notifications", err, msg)
	play := env.CheckAlarm
	if play == nil {
		play = alarm.Check
	}
	ctx, cancel := context.WithTimeout(context.Background(), alarmCheckTimeout)
	defer cancel()
	msg, err = play(ctx)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("the alarm did not finish playing within %s: the audio output hangs", alarmCheckTimeout)
	}
	check("alarm sound", err, msg)
}

// doctorApp checks the config file, the keyring and each source. It opens
// the service even when the config file is broken, to check the rest; the
// file is then a failed check, and the sources are not listed (they would
// be the defaults').
func doctorApp(ctx context.Context, g *Globals, env *Env, check func(string, error, string)) {
	svc, err := app.Open(ctx, g.appOptions(env))
	if err != nil {
		check("config", err, "")
		return
	}
	defer svc.Close()
	cerr := svc.ConfigErr()
	check("config", cerr, svc.ConfigPath())
	sec := env.Secrets
	if sec == nil {
		sec = g.appOptions(env).Secrets
	}
	_, err = sec.Get(ctx, "doctor/probe")
	if errors.Is(err, secrets.ErrNotFound) {
		err = nil
	}
	check("keyring", err, "reachable")
	if cerr != nil {
		return
	}
	cfg := svc.Config()
	for _, sc := range cfg.Sources {
		res := svc.TestSource(ctx, sc.Name)
		var e error
		if !res.OK {
			e = errors.New(res.Message)
		}
		check("source "+sc.Name, e, res.Message)
	}
	if len(cfg.Sources) == 0 {
		fmt.Fprintln(env.Stdout, "· sources        none configured (demo data in the app)")
	}
}
