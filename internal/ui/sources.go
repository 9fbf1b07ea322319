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
	"github.com/standby-oncall/standby/internal/source"
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
	kind             *widget.Select
	name, url, token *widget.Entry
	// fields are the entries of the selected kind's settings (the
	// registry's), url and token among them when the kind takes them.
	fields map[registry.Field]*widget.Entry
}

func newSourcesView(svc sourcesService) *sourcesView {
	v := &sourcesView{svc: svc, list: container.NewVBox(), result: widget.NewLabel(""),
		teamTitle: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), teamDetail: widget.NewLabel("")}
	v.teamDetail.Wrapping = fyne.TextWrapWord
	v.result.Wrapping = fyne.TextWrapWord
	v.name, v.url, v.token = widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	v.name.SetPlaceHolder("prod")
	v.kind = widget.NewSelect(kindNames(), nil)
	form := widget.NewForm()
	form.SubmitText = "Add and test"
	v.form = form
	// The first kind is set without a refresh: the tab is laid out when
	// first shown (lazyTab), not at start.
	v.kind.Selected = string(source.KindAlertmanager)
	v.setKind(v.kind.Selected, func(e *widget.Entry, text string) { e.PlaceHolder = text })
	v.kind.OnChanged = v.showKind
	form.OnSubmit = func() {
		sc, tok := v.draft()
		token := v.token
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
	add := widget.NewCard("Add a source", kindTitles(), container.NewVBox(form, v.result))
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

// kindTitles names the kinds a user can add, in words.
func kindTitles() string {
	var titles []string
	for _, d := range registry.All() {
		titles = append(titles, d.Title)
	}
	if len(titles) < 2 {
		return strings.Join(titles, "")
	}
	return strings.Join(titles[:len(titles)-1], ", ") + " or " + titles[len(titles)-1]
}

// showKind lays the form out for kind k: the name, then each setting the
// registry lists for k with its label and help. What was typed in the
// URL and token entries stays when the kind changes.
func (v *sourcesView) showKind(k string) {
	v.setKind(k, (*widget.Entry).SetPlaceHolder)
	v.form.Refresh()
}

// setKind puts the fields of kind k in the form, setting each entry's
// help with placeHolder.
func (v *sourcesView) setKind(k string, placeHolder func(*widget.Entry, string)) {
	d, _ := registry.Lookup(source.Kind(k))
	items := []*widget.FormItem{widget.NewFormItem("Kind", v.kind), widget.NewFormItem("Name", v.name)}
	v.fields = map[registry.Field]*widget.Entry{}
	for _, st := range d.Settings {
		e := widget.NewEntry()
		switch st.Field {
		case registry.FieldURL:
			e = v.url
		case registry.FieldToken:
			e = v.token
		}
		help := st.Help
		if st.Default != "" {
			help += " (empty: " + st.Default + ")"
		}
		placeHolder(e, help)
		item := widget.NewFormItem(st.Label, e)
		if st.Required && st.Default == "" && st.Field != registry.FieldToken {
			item.HintText = "required"
		}
		items = append(items, item)
		v.fields[st.Field] = e
	}
	v.form.Items = items
}

// draft is the source the form describes, and the token typed.
func (v *sourcesView) draft() (config.Source, string) {
	sc := config.Source{Name: strings.TrimSpace(v.name.Text), Kind: v.kind.Selected}
	token := ""
	for f, e := range v.fields {
		val := strings.TrimSpace(e.Text)
		switch f {
		case registry.FieldToken:
			token = e.Text
		case registry.FieldURL:
			sc.URL = val
		case registry.FieldUsername:
			sc.Username = val
		case registry.FieldAPIID:
			sc.APIID = val
		case registry.FieldCloudID:
			sc.CloudID = val
		case registry.FieldGrafanaURL:
			sc.GrafanaURL = val
		case registry.FieldReceiver:
			sc.Receiver = val
		case registry.FieldMatchers:
			sc.Matchers = splitList(val)
		case registry.FieldUserIDs:
			sc.UserIDs = splitList(val)
		case registry.FieldTeamIDs:
			sc.TeamIDs = splitList(val)
		}
	}
	return sc, token
}

// splitList splits a comma-separated entry ("PABC, PDEF") into its items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
