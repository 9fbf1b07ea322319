package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// incidentService is what the page row's and the tray's incident actions
// do: declare one (me as the commander), hand mine over, join another's.
type incidentService interface {
	DeclareIncident(ctx context.Context, id page.ID, doc string, now time.Time) (app.Incident, error)
	HandoverIncident(ctx context.Context, id page.ID, to string, now time.Time) (app.Incident, error)
	JoinIncident(ctx context.Context, id page.ID) (app.Incident, error)
	// Teammates are whom the handover offers (no hub request).
	Teammates() []string
}

// incidentAction runs act on page id: Declare asks for the living
// document's link (empty: from [incident] doc_template), Hand over asks
// for the new commander, Join goes at once. The window is shown first,
// as the action may come from the tray. Call on the UI goroutine.
func (sh *shell) incidentAction(id page.ID, act viewmodel.IncidentAction) {
	switch act {
	case viewmodel.IncidentJoin:
		sh.background("Join incident", func(ctx context.Context) error {
			_, err := sh.svc.JoinIncident(ctx, id)
			return err
		})
	case viewmodel.IncidentDeclare:
		sh.win.Show()
		sh.declareDialog(id).Show()
	case viewmodel.IncidentHandover:
		sh.win.Show()
		sh.handoverDialog(id).Show()
	}
}

// declareDialog asks for the living document and declares.
func (sh *shell) declareDialog(id page.ID) dialog.Dialog {
	doc := widget.NewEntry()
	doc.SetPlaceHolder("https://… (empty: made from your [incident] doc_template, if set)")
	doc.Validator = validDocLink
	items := []*widget.FormItem{
		widget.NewFormItem("Page", widget.NewLabel(id.String())),
		widget.NewFormItem("Living document", doc),
	}
	d := dialog.NewForm("Declare incident — you are the commander", "Declare", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		link := strings.TrimSpace(doc.Text)
		sh.background("Declare incident", func(ctx context.Context) error {
			_, err := sh.svc.DeclareIncident(ctx, id, link, time.Now())
			return err
		})
	}, sh.win)
	d.Resize(fyne.NewSize(560, 0))
	return d
}

// handoverDialog asks whom to make the commander and hands over.
func (sh *shell) handoverDialog(id page.ID) dialog.Dialog {
	to := widget.NewSelectEntry(sh.svc.Teammates())
	to.SetPlaceHolder("member name")
	to.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("name the new commander")
		}
		return nil
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Page", widget.NewLabel(id.String())),
		widget.NewFormItem("New commander", to),
	}
	d := dialog.NewForm("Hand over the incident", "Hand over", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		member := strings.TrimSpace(to.Text)
		sh.background("Hand over", func(ctx context.Context) error {
			_, err := sh.svc.HandoverIncident(ctx, id, member, time.Now())
			return err
		})
	}, sh.win)
	d.Resize(fyne.NewSize(480, 0))
	return d
}

// validDocLink accepts "" or an http(s) link, as the hub does.
func validDocLink(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("a living document is an http:// or https:// link")
	}
	return nil
}
