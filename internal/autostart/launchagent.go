package autostart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// macOS: a LaunchAgent property list in ~/Library/LaunchAgents, loaded by
// launchd at the next login. Pure helpers, untagged, so Linux CI tests them.

//lint:ignore U1000 used by the darwin build (autostart_darwin.go)
func launchAgentPath(id string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home directory: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", id+".plist"), nil
}

// launchAgentPlist renders the agent: run once at load (login), as an
// interactive process, never restarted by launchd (quitting stays quit).
func launchAgentPlist(e Entry) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("\t<key>Label</key>\n\t<string>" + xmlText(e.ID) + "</string>\n")
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range append([]string{e.Exec}, e.Args...) {
		b.WriteString("\t\t<string>" + xmlText(a) + "</string>\n")
	}
	b.WriteString("\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>KeepAlive</key>\n\t<false/>\n")
	b.WriteString("\t<key>ProcessType</key>\n\t<string>Interactive</string>\n")
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) //nolint:errcheck // strings.Builder does not fail
	return b.String()
}

// plistArgs reads ProgramArguments back from a property list (enough of
// the format for the files launchAgentPlist writes and hand edits of them).
func plistArgs(body []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var args []string
	lastKey, inArgs := "", false
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the LaunchAgent: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			text.Reset()
			if t.Name.Local == "array" {
				inArgs = lastKey == "ProgramArguments"
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			switch t.Name.Local {
			case "key":
				lastKey = text.String()
			case "array":
				inArgs = false
			case "string":
				if inArgs {
					args = append(args, text.String())
				}
			}
		}
	}
	if len(args) == 0 {
		return nil, errors.New("the LaunchAgent has no ProgramArguments")
	}
	return args, nil
}

func launchAgentStatus(path string, e Entry) (Status, error) {
	st := Status{Where: path}
	body, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	args, err := plistArgs(body)
	if err != nil {
		return st, err
	}
	st.On = true
	st.Command = strings.Join(args, " ")
	st.Stale = args[0] != e.Exec
	return st, nil
}
