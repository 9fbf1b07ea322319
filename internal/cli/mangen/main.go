// Command mangen writes standby(1), the man page, from the command line's
// own model (kong): every command and flag that --help shows is listed,
// so the page cannot drift from the binary. Packaging runs it:
//
//	go run ./internal/cli/mangen -version 0.1.0 > standby.1
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/standby-oncall/standby/internal/cli"
)

func main() {
	version := flag.String("version", "dev", "version printed in the page footer")
	date := flag.String("date", "", "date printed in the page footer (e.g. 2026-12-01)")
	flag.Parse()
	if err := write(os.Stdout, *version, *date); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

// write renders the page for the CLI's command tree.
func write(w io.Writer, version, date string) error {
	var c cli.CLI
	p, err := kong.New(&c, kong.Name("standby"), kong.Exit(func(int) {}), cli.Vars())
	if err != nil {
		return fmt.Errorf("building the command model: %w", err)
	}
	m := &page{}
	m.header(version, date)
	m.globals(p.Model.Node)
	m.commands(p.Model.Node)
	m.footer()
	_, err = io.WriteString(w, m.b.String())
	return err
}

type page struct{ b strings.Builder }

func (m *page) line(format string, args ...any) { fmt.Fprintf(&m.b, format+"\n", args...) }

func (m *page) header(version, date string) {
	m.line(`.TH STANDBY 1 "%s" "standby %s" "User Commands"`, esc(date), esc(version))
	m.line(".SH NAME")
	m.line(`standby \- on-call companion: pages with one-click Ack, "I'm looking" claims, on-call calendar and quiet hours`)
	m.line(".SH SYNOPSIS")
	m.line(`.B standby`)
	m.line(`[\fIflags\fR] [\fIcommand\fR] [\fIargs\fR]`)
	m.line(".SH DESCRIPTION")
	m.line("Without a command, %s starts the tray app (the %s command). Every action of the tray and window", bold("standby"), bold("run"))
	m.line("is also a command, going through the same application service, so scripts and people without a tray host")
	m.line("can use Standby fully. API tokens are kept in the OS keyring, never in the config file.")
}

// globals lists the flags every command takes.
func (m *page) globals(root *kong.Node) {
	m.line(".SH OPTIONS")
	m.line("These flags are accepted by every command.")
	for _, f := range root.Flags {
		m.flag(f)
	}
}

// commands lists every visible command below root, depth first, in the
// order --help shows them.
func (m *page) commands(root *kong.Node) {
	m.line(".SH COMMANDS")
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		for _, c := range n.Children {
			if c.Hidden {
				continue
			}
			if len(c.Children) == 0 || len(c.Flags) > 0 || len(c.Positional) > 0 {
				m.command(c)
			}
			walk(c)
		}
	}
	walk(root)
}

func (m *page) command(n *kong.Node) {
	m.line(".SS %s", bold("standby "+synopsis(n)))
	if n.Help != "" {
		m.line("%s", esc(n.Help))
	}
	if n.Detail != "" {
		m.line(".PP")
		m.line("%s", esc(n.Detail))
	}
	for _, a := range n.Positional {
		m.line(".TP")
		m.line("%s", italic("<"+a.Name+">"))
		m.line("%s", esc(a.Help))
	}
	for _, f := range n.Flags {
		m.flag(f)
	}
}

// synopsis is the command path with its arguments, as --help prints it.
func synopsis(n *kong.Node) string {
	s := n.Path()
	for _, a := range n.Positional {
		arg := "<" + a.Name + ">"
		if a.Tag.Optional || !a.Required {
			arg = "[" + arg + "]"
		}
		s += " " + arg
	}
	if len(n.Positional) == 0 && len(n.Children) > 0 {
		s += " <command>"
	}
	return s
}

func (m *page) flag(f *kong.Flag) {
	if f.Hidden {
		return
	}
	m.line(".TP")
	name := "--" + f.Name
	if f.Short != 0 {
		name = "-" + string(f.Short) + ", " + name
	}
	if !f.IsBool() && !f.IsCounter() {
		m.line("%s=%s", bold(name), italic(f.FormatPlaceHolder()))
	} else {
		m.line("%s", bold(name))
	}
	help := f.Help
	if f.HasDefault && f.Default != "" {
		help += " Default: " + f.Default + "."
	}
	m.line("%s", esc(help))
}

func (m *page) footer() {
	m.line(".SH FILES")
	m.line(".TP")
	m.line(`\fI$XDG_CONFIG_HOME/standby/config.toml\fR`)
	m.line("The configuration (sources, feeds, quiet hours, team); no secrets.")
	m.line(".TP")
	m.line(`\fI$XDG_CONFIG_HOME/autostart/dev.standby.Standby.desktop\fR`)
	m.line(`Written by \fBstandby autostart on\fR: starts Standby in the tray at login.`)
	m.line(".SH SEE ALSO")
	m.line(`\fBstandby-hub\fR(1), https://github.com/standby-oncall/standby`)
}

// esc escapes text for roff: backslashes, and a leading dot or quote that
// would read as a request.
func esc(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	s = strings.ReplaceAll(s, "\n", "\n.br\n")
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

func bold(s string) string   { return `\fB` + esc(s) + `\fR` }
func italic(s string) string { return `\fI` + esc(s) + `\fR` }
