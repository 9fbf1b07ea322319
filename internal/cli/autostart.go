package cli

import (
	"fmt"

	"github.com/standby-oncall/standby/internal/appid"
	"github.com/standby-oncall/standby/internal/autostart"
)

// AutostartCmd manages the login entry that starts this binary with
// --background (XDG autostart, the Windows Run key or a LaunchAgent).
type AutostartCmd struct {
	On     AutostartOnCmd     `cmd:"" help:"Start Standby in the tray when you log in."`
	Off    AutostartOffCmd    `cmd:"" help:"Do not start Standby when you log in."`
	Status AutostartStatusCmd `cmd:"" help:"Say whether Standby starts when you log in, and how."`
}

// AutostartOnCmd writes the login entry.
type AutostartOnCmd struct{}

// Run writes the entry for this binary.
func (AutostartOnCmd) Run(env *Env) error {
	e, err := autostart.ForExecutable(appid.ID, appid.Name)
	if err != nil {
		return err
	}
	if err := autostart.Enable(e); err != nil {
		return err
	}
	st, err := autostart.Check(e)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "on: Standby starts in the tray when you log in (%s)\n", st.Where)
	return nil
}

// AutostartOffCmd removes the login entry.
type AutostartOffCmd struct{}

// Run removes the entry.
func (AutostartOffCmd) Run(env *Env) error {
	e, err := autostart.ForExecutable(appid.ID, appid.Name)
	if err != nil {
		return err
	}
	if err := autostart.Disable(e); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "off: Standby does not start when you log in")
	return nil
}

// AutostartStatusCmd prints the state of the login entry.
type AutostartStatusCmd struct{}

// Run prints on/off, where the entry is and what it runs.
func (AutostartStatusCmd) Run(env *Env) error {
	e, err := autostart.ForExecutable(appid.ID, appid.Name)
	if err != nil {
		return err
	}
	st, err := autostart.Check(e)
	if err != nil {
		return err
	}
	switch {
	case !st.On && st.Command == "":
		fmt.Fprintln(env.Stdout, "off: Standby does not start when you log in")
	case !st.On:
		fmt.Fprintf(env.Stdout, "off: the login entry %s is disabled in your desktop's settings\n", st.Where)
	case st.Stale:
		fmt.Fprintf(env.Stdout, "on, but it starts another binary: %s (%s); `standby autostart on` points it at this one\n", st.Command, st.Where)
	default:
		fmt.Fprintf(env.Stdout, "on: %s (%s)\n", st.Command, st.Where)
	}
	return nil
}
