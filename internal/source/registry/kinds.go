package registry

import (
	"github.com/standby-oncall/standby/internal/demo"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/goalert"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
)

var (
	baseURL = func(example string) Setting {
		return Setting{Field: FieldURL, Label: "URL", Help: "Base URL, like " + example, Required: true}
	}
	token = func(what string) Setting {
		return Setting{Field: FieldToken, Label: "Token", Help: what + "; stored in the OS keyring"}
	}
)

// kinds is the registry, in the order the kinds are offered.
var kinds = []Descriptor{
	{
		Kind: source.KindAlertmanager, Title: "Alertmanager",
		Settings: []Setting{
			baseURL("http://alertmanager:9093"),
			token("Bearer token, if the Alertmanager needs one"),
			{Field: FieldReceiver, Label: "Receiver", Help: "Only alerts for receivers matching this regexp"},
			{Field: FieldMatchers, Label: "Matchers", Help: `Matchers like team="payments"`},
		},
		Scale: source.ScaleOf(source.KindAlertmanager),
		New: func(s Spec) (source.Source, error) {
			return alertmanager.New(alertmanager.Config{Name: s.Name, URL: s.URL, Token: s.Token, Receiver: s.Receiver,
				Filter: s.Matchers, Logger: s.Logger}, s.HTTP)
		},
	},
	{
		Kind: source.KindPagerDuty, Title: "PagerDuty",
		Settings: []Setting{
			{Field: FieldURL, Label: "URL", Help: "API URL", Default: pagerduty.DefaultURL},
			token("REST API token"),
			{Field: FieldUserIDs, Label: "User ids", Help: "List incidents for these user ids"},
			{Field: FieldTeamIDs, Label: "Team ids", Help: "List incidents for these team ids"},
		},
		New: func(s Spec) (source.Source, error) {
			return pagerduty.New(pagerduty.Config{Name: s.Name, URL: s.URL, Token: s.Token, UserIDs: s.UserIDs, TeamIDs: s.TeamIDs}, s.HTTP)
		},
	},
	{
		Kind: source.KindOpsgenie, Title: "Opsgenie",
		Settings: []Setting{
			{Field: FieldURL, Label: "URL", Help: "API URL (EU accounts: " + opsgenie.EUURL + ")", Default: opsgenie.DefaultURL},
			token("API key"),
		},
		Scale:  source.ScaleOf(source.KindOpsgenie),
		Notice: opsgenie.Notice,
		New:    opsgenieNew(opsgenie.Opsgenie),
	},
	{
		Kind: source.KindJSMOps, Title: "Jira Service Management Ops",
		Settings: []Setting{
			{Field: FieldURL, Label: "URL", Help: "API URL", Default: opsgenie.JSMOpsURL + "CLOUD_ID"},
			token("Atlassian API token"),
			{Field: FieldCloudID, Label: "Cloud id", Help: "Atlassian cloud id of the site", Required: true},
			{Field: FieldUsername, Label: "User", Help: "Your Atlassian e-mail", Required: true},
		},
		Needs: "jsm_ops needs cloud_id and username (your Atlassian e-mail)",
		Scale: source.ScaleOf(source.KindJSMOps),
		New:   opsgenieNew(opsgenie.JSMOps),
	},
	{
		Kind: source.KindGoAlert, Title: "GoAlert",
		Settings: []Setting{
			baseURL("https://goalert.example.com"),
			token("Password (GoAlert has no API tokens)"),
			{Field: FieldUsername, Label: "User", Help: "GoAlert login", Required: true},
		},
		Needs:        "goalert needs username (GoAlert has no API tokens; the password goes to the keyring)",
		Scale:        source.ScaleOf(source.KindGoAlert),
		KeepsSession: true,
		New: func(s Spec) (source.Source, error) {
			return goalert.New(goalert.Config{Name: s.Name, URL: s.URL, Username: s.Username, Password: s.Token,
				Session: s.Session, OnSession: s.OnSession}, s.HTTP)
		},
	},
	{
		Kind: source.KindGrafanaOnCall, Title: "Grafana OnCall",
		Settings: []Setting{
			baseURL("https://oncall-prod-us-central-0.grafana.net/oncall"),
			token("API token"),
			{Field: FieldGrafanaURL, Label: "Grafana URL", Help: "Grafana stack URL (Grafana Cloud IRM)"},
		},
		Scale: source.ScaleOf(source.KindGrafanaOnCall),
		New: func(s Spec) (source.Source, error) {
			return grafanaoncall.New(grafanaoncall.Config{Name: s.Name, URL: s.URL, Token: s.Token, GrafanaURL: s.GrafanaURL}, s.HTTP)
		},
	},
	{
		Kind: source.KindSplunkOnCall, Title: "Splunk On-Call",
		Settings: []Setting{
			{Field: FieldURL, Label: "URL", Help: "API URL", Default: splunkoncall.DefaultURL},
			token("API key"),
			{Field: FieldAPIID, Label: "API id", Help: "Splunk On-Call API id", Required: true},
			{Field: FieldUsername, Label: "User", Help: "Your Splunk On-Call user name"},
		},
		Needs: "splunk_oncall needs api_id",
		Scale: source.ScaleOf(source.KindSplunkOnCall),
		New: func(s Spec) (source.Source, error) {
			return splunkoncall.New(splunkoncall.Config{Name: s.Name, URL: s.URL, APIID: s.APIID, APIKey: s.Token, UserName: s.Username}, s.HTTP)
		},
	},
	{
		Kind: source.KindDemo, Title: "Demo", hidden: true,
		New: func(s Spec) (source.Source, error) { return demo.New(s.Name, demo.Options{}), nil },
	},
}

func opsgenieNew(flavor opsgenie.Flavor) func(Spec) (source.Source, error) {
	return func(s Spec) (source.Source, error) {
		return opsgenie.New(opsgenie.Config{Name: s.Name, Flavor: flavor, URL: s.URL, CloudID: s.CloudID, Email: s.Username, Key: s.Token}, s.HTTP)
	}
}
