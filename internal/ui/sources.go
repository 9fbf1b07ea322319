package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/source/registry"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// sourcesView is the Sources tab: health of each source and a form to add one.
type sourcesView struct {
	svc        sourcesService
	root       fyne.CanvasObject
	list       *fyne.Container
	result     *widget.Label
	teamTitle  *widget.Label
	teamDetail *widget.Label
	// teamBox is the Team card's content (the shell adds the Team load).
	teamBox *fyne.Container
	// the add form, kept for tests
	form             *widget.Form
	name, url, token *widget.Entry
}

func newSourcesView(svc sourcesService) *sourcesView {
	v := &sourcesView{svc: svc, list: container.NewVBox(), result: widget.NewLabel(""),
		teamTitle: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), teamDetail: widget.NewLabel("")}
	v.teamDetail.Wrapping = fyne.TextWrapWord
	v.result.Wrapping = fyne.TextWrapWord
	kind := widget.NewSelect(kindNames(), nil)
	kind.SetSelected("alertmanager")
	name := widget.NewEntry()
	name.SetPlaceHolder("prod")
	u := widget.NewEntry()
	u.SetPlaceHolder("http://alertmanager:9093")
	token := widget.NewPasswordEntry()
	token.SetPlaceHolder("API token (GoAlert: password); stored in the OS keyring")
	user := widget.NewEntry()
	user.SetPlaceHolder("GoAlert login, Splunk On-Call user, or Atlassian e-mail (JSM Ops)")
	apiID := widget.NewEntry()
	apiID.SetPlaceHolder("Splunk On-Call API id, or Atlassian cloud id (JSM Ops)")
	form := widget.NewForm(
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Name", name),
		widget.NewFormItem("URL", u),
		widget.NewFormItem("Token", token),
		widget.NewFormItem("User", user),
		widget.NewFormItem("API / cloud id", apiID),
	)
	form.SubmitText = "Add and test"
	form.OnSubmit = func() {
		sc := config.Source{Name: strings.TrimSpace(name.Text), Kind: kind.Selected, URL: strings.TrimSpace(u.Text),
			Username: strings.TrimSpace(user.Text)}
		switch sc.Kind {
		case "splunk_oncall":
			sc.APIID = strings.TrimSpace(apiID.Text)
		case "jsm_ops":
			sc.CloudID = strings.TrimSpace(apiID.Text)
		}
		tok := token.Text
		v.result.SetText("Saving and testing…")
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			msg := ""
			if err := svc.AddSource(ctx, sc, tok); err != nil {
				msg = "Not added: " + err.Error()
			} else {
				res := svc.TestSource(ctx, sc.Name)
				msg = fmt.Sprintf("Added %s. Test: %s.", sc.Name, res.Message)
			}
			fyne.Do(func() {
				v.result.SetText(msg)
				if !strings.HasPrefix(msg, "Not added") {
					token.SetText("")
				}
			})
		}()
	}
	v.form, v.name, v.url, v.token = form, name, u, token
	add := widget.NewCard("Add a source", "Alertmanager, PagerDuty, Opsgenie, JSM Ops, GoAlert, Grafana OnCall or Splunk On-Call", container.NewVBox(form, v.result))
	v.teamBox = container.NewVBox(v.teamTitle, v.teamDetail)
	team := widget.NewCard("Team", "", v.teamBox)
	v.root = container.NewVScroll(container.NewVBox(widget.NewCard("Sources", "", v.list), team, add))
	return v
}

// test connects to a source off the UI goroutine and shows the outcome.
func (v *sourcesView) test(name string) {
	v.result.SetText("Testing " + name + "…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res := v.svc.TestSource(ctx, name)
		fyne.Do(func() { v.result.SetText(fmt.Sprintf("%s: %s", name, res.Message)) })
	}()
}

func (v *sourcesView) applyTeam(t viewmodel.TeamVM) {
	setText(v.teamTitle, t.Title)
	setText(v.teamDetail, t.Detail)
	switch t.Color {
	case viewmodel.ColorError:
		v.teamTitle.Importance = widget.DangerImportance
	case viewmodel.ColorSuccess:
		v.teamTitle.Importance = widget.SuccessImportance
	default:
		v.teamTitle.Importance = widget.MediumImportance
	}
	v.teamTitle.Refresh()
}

func (v *sourcesView) apply(rows []viewmodel.SourceRow) {
	objs := make([]fyne.CanvasObject, 0, len(rows))
	for _, r := range rows {
		head := widget.NewLabelWithStyle(fmt.Sprintf("%s — %s", r.Name, r.Health), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		switch r.Color {
		case viewmodel.ColorError:
			head.Importance = widget.DangerImportance
		case viewmodel.ColorWarning:
			head.Importance = widget.WarningImportance
		case viewmodel.ColorSuccess:
			head.Importance = widget.SuccessImportance
		}
		detail := widget.NewLabel(r.Detail)
		detail.Wrapping = fyne.TextWrapWord
		name := r.Name
		test := widget.NewButton("Test", func() { v.test(name) })
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewCenter(test), container.NewVBox(head, detail)))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No sources. Add one below, or run `standby source add`."))
	}
	v.list.Objects = objs
	v.list.Refresh()
}

// kindNames lists the kinds a user can add, in the registry's order.
func kindNames() []string {
	var out []string
	for _, k := range registry.Kinds() {
		out = append(out, string(k))
	}
	return out
}
