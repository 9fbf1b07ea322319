package config

import "fmt"

// The values of [app] start_at_login.
const (
	// StartAtLoginOn: the user wants Standby started at login (or Standby
	// turned it on with the first real source and said so).
	StartAtLoginOn = "on"
	// StartAtLoginOff: the user turned start at login off; Standby never
	// turns it on again by itself.
	StartAtLoginOff = "off"
)

// App holds choices about the app itself rather than pages or people.
type App struct {
	// StartAtLogin is the user's decision about starting Standby at
	// login: "" (not decided yet: the first real source turns it on),
	// "on" or "off". The login entry itself is the system's (package
	// autostart); this records that the user has decided.
	StartAtLogin string `toml:"start_at_login,omitempty"`
}

func (a App) validate() error {
	switch a.StartAtLogin {
	case "", StartAtLoginOn, StartAtLoginOff:
		return nil
	}
	return fmt.Errorf("app.start_at_login: %q must be \"on\" or \"off\"", a.StartAtLogin)
}
