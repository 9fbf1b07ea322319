package cli

import (
	"context"
	"fmt"

	"github.com/standby-oncall/standby/internal/app"
)

// AutostartCmd manages the login entry that starts this binary with
// --background (XDG autostart, the Windows Run key or a LaunchAgent), and
// records the choice, so that adding a source never turns it on again.
type AutostartCmd struct {
	On     AutostartOnCmd     `cmd:"" help:"Start Standby in the tray when you log in."`
	Off    AutostartOffCmd    `cmd:"" help:"Do not start Standby when you log in."`
	Status AutostartStatusCmd `cmd:"" help:"Say whether Standby starts when you log in, and how."`
}

// AutostartOnCmd writes the login entry.
type AutostartOnCmd struct{}

// Run writes the entry for this binary and records "on".
func (AutostartOnCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(_ context.Context, svc *app.Service) error {
		if err := svc.SetLoginStart(true); err != nil {
			return err
		}
		st, err := svc.LoginStart()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "on: Standby starts in the tray when you log in (%s)\n", st.Where)
		return nil
	})
}

// AutostartOffCmd removes the login entry.
type AutostartOffCmd struct{}

// Run removes the entry and records "off".
func (AutostartOffCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(_ context.Context, svc *app.Service) error {
		if err := svc.SetLoginStart(false); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "off: Standby does not start when you log in")
		return nil
	})
}

// AutostartStatusCmd prints the state of the login entry.
type AutostartStatusCmd struct{}

// Run prints on/off, where the entry is, what it runs, and whether the
// choice is still Standby's to make.
func (AutostartStatusCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(_ context.Context, svc *app.Service) error {
		st, err := svc.LoginStart()
		if err != nil {
			return err
		}
		if st.Unsupported != "" {
			return fmt.Errorf("%s", st.Unsupported)
		}
		fmt.Fprintln(env.Stdout, describeLoginStart(st))
		return nil
	})
}

func describeLoginStart(st app.LoginState) string {
	var line string
	switch {
	case !st.On && st.Command == "":
		line = "off: Standby does not start when you log in"
	case !st.On:
		line = fmt.Sprintf("off: the login entry %s is disabled in your desktop's settings", st.Where)
	case st.Stale:
		line = fmt.Sprintf("on, but it starts another binary: %s (%s); `standby autostart on` points it at this one", st.Command, st.Where)
	default:
		line = fmt.Sprintf("on: %s (%s)", st.Command, st.Where)
	}
	if st.Choice == "" && !st.On {
		line += " (not chosen yet: adding your first source turns it on)"
	}
	return line
}

// sayLoginNotice prints what the service says after it turned start at
// login on by itself: the notice on stdout, a failure to do so on stderr.
func sayLoginNotice(svc *app.Service, env *Env) {
	b, ok := svc.LoginStartNotice()
	switch {
	case !ok:
	case b.Level == "info":
		fmt.Fprintln(env.Stdout, b.Text)
	default:
		fmt.Fprintln(env.Stderr, "standby:", b.Text)
	}
}
