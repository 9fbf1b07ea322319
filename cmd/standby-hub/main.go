// Command standby-hub runs a Standby team hub: an embedded NATS server with
// JetStream for the team bus, and webhook intake for Alertmanager and
// generic pages. It is pure Go (CGO_ENABLED=0) for headless servers.
package main

import (
	"os"

	"github.com/alecthomas/kong"

	"github.com/standby-oncall/standby/internal/hub"
)

func main() {
	var cli hub.CLI
	ctx := kong.Parse(&cli, kong.Name("standby-hub"),
		kong.Description("Standby team hub: NATS bus for claims and pages, plus webhook intake."))
	ctx.FatalIfErrorf(ctx.Run(&cli, hub.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
