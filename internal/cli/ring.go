package cli

import (
	"fmt"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/instance"
	"github.com/standby-oncall/standby/internal/page"
)

// RingCmd is "Ring me now" on a held page: the running Standby ends the
// hold and rings at once. A held page lives in the running app (its hold
// timer, bubble and alarm), so the command is sent there through the
// instance socket; with no app running there is nothing to ring.
type RingCmd struct {
	ID string `arg:"" help:"Held page id as SOURCE/ID (see standby pages)."`
}

// Run asks the running Standby to ring the page now.
func (c RingCmd) Run(env *Env) error {
	id, err := page.ParseID(c.ID)
	if err != nil {
		return err
	}
	sock, err := instance.DefaultPath()
	if err != nil {
		return err
	}
	if err := instance.Send(sock, app.RingCommand(id)); err != nil {
		return fmt.Errorf("ring %s: %w (a held page rings in the running Standby: start it with `standby`)", id, err)
	}
	fmt.Fprintf(env.Stdout, "%s rings now.\n", id)
	return nil
}
