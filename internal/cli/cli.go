// Package cli is Standby's command line: every tray and window action is
// also a subcommand here, going through the same application service
// (internal/app). The GUI itself is injected by cmd/standby, so this
// package builds and tests without Fyne or cgo.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/alecthomas/kong"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/appid"
	"github.com/standby-oncall/standby/internal/autostart"
	"github.com/standby-oncall/standby/internal/secrets"
)

// Version is set at build time with -ldflags "-X …/cli.Version=v1.2.3".
var Version = "dev"

// Env is the world the commands run in; tests fill it with fakes.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// RunGUI starts the desktop app; nil means this build has none.
	RunGUI func(app.GUIOptions) error
	// Secrets is the keyring; nil means the OS keyring.
	Secrets *secrets.Store
	// Now is the clock for commands; nil means time.Now.
	Now func() time.Time
	// StatePath overrides the state database path (tests).
	StatePath string
	// Logger for diagnostics; nil discards.
	Logger *slog.Logger
	// CheckAlarm is the doctor's sound check; nil means alarm.Check (tests
	// replace it: the process has one audio device, opened once).
	CheckAlarm func(ctx context.Context) (string, error)
}

// Globals are the flags every command accepts.
type Globals struct {
	Config string `help:"Config file (default: $XDG_CONFIG_HOME/standby/config.toml)." type:"path" placeholder:"FILE"`
	Demo   bool   `help:"Use the demo source and calendar, even when sources are configured."`
}

// CLI is the command tree.
type CLI struct {
	Globals

	Run     RunCmd     `cmd:"" default:"withargs" help:"Start the tray app (the default)."`
	Version VersionCmd `cmd:"" help:"Print the version."`
	Pages   PagesCmd   `cmd:"" help:"List open pages with their state, claims and policy decision."`
	Ack     ActCmd     `cmd:"" help:"Acknowledge a page upstream."`
	Unack   ActCmd     `cmd:"" help:"Reverse an ack where the source allows it."`
	Resolve ActCmd     `cmd:"" help:"Resolve a page upstream."`
	Look    ActCmd     `cmd:"" help:"Claim a page: \"I'm looking\" (tells the team, does not stop escalation)."`
	Ring    RingCmd    `cmd:"" help:"Ring me now: end a held page's hold in the running Standby and ring it."`
	Quiet   QuietCmd   `cmd:"" help:"Quiet hours: status, for DURATION, until HH:MM, off."`
	Source  SourceCmd  `cmd:"" help:"Manage paging sources."`
	Doctor  DoctorCmd  `cmd:"" help:"Check the keyring, tray, notifications and sources."`
	Feed    FeedCmd    `cmd:"" help:"Manage on-call calendar feeds."`
	Shifts  ShiftsCmd  `cmd:"" help:"List my shifts, merged across feeds."`
	Oncall  OncallCmd  `cmd:"" help:"Am I on call now? Until when? When next?"`
	Ics     IcsCmd     `cmd:"" help:"Calendar tools."`
	Team    TeamCmd    `cmd:"" help:"Join a team hub; show who is online."`

	Report    ReportCmd    `cmd:"" help:"My interruption report: pages, loud rings, nights, response times per week and shift."`
	Incident  IncidentCmd  `cmd:"" help:"Incident commander: declare, hand over, join (kept on the team hub)."`
	Handoff   HandoffCmd   `cmd:"" help:"The handoff of my shift: pages, still open, who claimed or acked, time to ack, my notes."`
	Autostart AutostartCmd `cmd:"" help:"Start Standby in the tray when you log in: on, off or status."`
}

// Main runs the command line and returns the exit status.
func Main(args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	var c CLI
	exit := -1
	parser, err := kong.New(&c,
		kong.Name("standby"),
		kong.Description("Standby: your on-call companion. Without a command it starts the tray app."),
		kong.Writers(env.Stdout, env.Stderr),
		kong.Exit(func(code int) { exit = code }),
		kong.UsageOnError(),
		sourceKindVars(),
	)
	if err != nil {
		fmt.Fprintln(env.Stderr, "standby:", err)
		return 2
	}
	kctx, err := parser.Parse(args)
	if exit >= 0 {
		return exit // --help
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "standby:", err)
		return 2
	}
	if err := kctx.Run(&c.Globals, &env); err != nil {
		fmt.Fprintln(env.Stderr, "standby:", err)
		return 1
	}
	return 0
}

// appOptions turns the globals into app options.
func (g *Globals) appOptions(env *Env) app.Options {
	sec := env.Secrets
	if sec == nil {
		sec = secrets.New(appid.ID)
	}
	return app.Options{ConfigPath: g.Config, StatePath: env.StatePath, Demo: g.Demo, Secrets: sec, Logger: env.Logger, Login: loginEntry()}
}

// loginEntry is the entry that starts this binary at login; nil when the
// binary cannot be found (start at login then says it is not supported).
func loginEntry() app.LoginEntry {
	e, err := autostart.ForExecutable(appid.ID, appid.Name)
	if err != nil {
		return nil
	}
	return e
}

// open opens the service for a one-shot command. A config file that could
// not be read stops the command with the reason (the line and the key): a
// script must not be answered from defaults or demo data with exit 0. The
// file is left as it is. (The desktop app starts on defaults and says so in
// a banner; `standby doctor` reports the file as a failed check.)
func (g *Globals) open(ctx context.Context, env *Env) (*app.Service, error) {
	svc, err := app.Open(ctx, g.appOptions(env))
	if err != nil {
		return nil, err
	}
	if cerr := svc.ConfigErr(); cerr != nil {
		svc.Close()
		return nil, fmt.Errorf("%w (nothing done; the file is left as it is)", cerr)
	}
	return svc, nil
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Run prints the version and the Go toolchain.
func (VersionCmd) Run(env *Env) error {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	fmt.Fprintf(env.Stdout, "standby %s (%s)\n", v, appid.ID)
	return nil
}

// RunCmd starts the GUI.
type RunCmd struct {
	ExitAfter  time.Duration `help:"Quit after this long (smoke tests and benchmarks)." placeholder:"DUR"`
	Background bool          `help:"Start in the tray without opening the window (what the login entry runs); without a tray the window opens anyway."`
	DemoPages  int           `help:"Open demo pages at start (benchmarks)." hidden:""`
	// DemoEvery is the demo's traffic: a new page this often (0: 75 s).
	DemoEvery time.Duration `help:"A new demo page this often (benchmarks; default 75s)." hidden:"" placeholder:"DUR"`
}

// Run starts the tray app.
func (r RunCmd) Run(g *Globals, env *Env) error {
	if env.RunGUI == nil {
		return fmt.Errorf("this build has no desktop app; use a subcommand (see --help)")
	}
	opts := g.appOptions(env)
	opts.DemoPages, opts.DemoEvery = r.DemoPages, r.DemoEvery
	return env.RunGUI(app.GUIOptions{App: opts, ExitAfter: r.ExitAfter, Background: r.Background, Ready: env.Stdout})
}
