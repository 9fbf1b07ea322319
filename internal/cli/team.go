package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/standby-oncall/standby/internal/app"
)

// TeamCmd groups the team bus commands.
type TeamCmd struct {
	Join   TeamJoinCmd   `cmd:"" help:"Join a team hub with the member token from standby-hub add-member."`
	Status TeamStatusCmd `cmd:"" help:"Show the team bus connection and each member online: on call, ringable."`
}

// TeamJoinCmd stores the member token and connects once to check it.
type TeamJoinCmd struct {
	URL        []string `arg:"" optional:"" help:"Hub URLs (nats:// or tls://); default: those in the token."`
	TokenStdin bool     `required:"" help:"Read the one-line member token from standard input."`
}

// Run joins the team.
func (c TeamJoinCmd) Run(g *Globals, env *Env) error {
	token, err := readToken(c.TokenStdin, env.Stdin)
	if err != nil {
		return err
	}
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		tok, err := svc.TeamJoin(ctx, token, c.URL)
		if err != nil {
			return err
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if err := svc.ConnectTeam(cctx); err != nil {
			return fmt.Errorf("token stored, but the hub did not accept it: %w", err)
		}
		st := svc.TeamStatus(ctx)
		fmt.Fprintf(env.Stdout, "Joined the team as %s at %s. Online: %s\n", tok.Member, st.URL, strings.Join(st.Online, ", "))
		return nil
	})
}

// writeMembers lists the online members with what routing reads of them.
func writeMembers(w io.Writer, members []app.TeamMember, loc *time.Location) {
	if len(members) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MEMBER\tONLINE\tON CALL\tRINGABLE")
	for _, m := range members {
		oncall := "no"
		if m.OnCall {
			oncall = "yes"
			if m.Schedule != "" {
				oncall += " (" + m.Schedule + ")"
			}
			if !m.OnCallUntil.IsZero() {
				oncall += " until " + m.OnCallUntil.In(loc).Format("Mon 15:04")
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, yesNo(m.Online), oncall, yesNo(m.Ringable))
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TeamStatusCmd shows the connection.
type TeamStatusCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints the status; it fails when a configured team is unreachable.
func (c TeamStatusCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		connErr := svc.ConnectTeam(cctx)
		st := svc.TeamStatus(ctx)
		if c.JSON {
			if err := json.NewEncoder(env.Stdout).Encode(st); err != nil {
				return err
			}
		} else if !st.Configured {
			fmt.Fprintln(env.Stdout, st.Hint)
		} else if st.Connected {
			fmt.Fprintf(env.Stdout, "Connected to %s as %s. Online: %s\n", st.URL, st.Member, strings.Join(st.Online, ", "))
			writeMembers(env.Stdout, st.Members, svc.Location())
		}
		if st.Configured && !st.Connected {
			return fmt.Errorf("team bus: %v", connErr)
		}
		if st.WatchErr != "" {
			return fmt.Errorf("team presence: %s", st.WatchErr)
		}
		return nil
	})
}
