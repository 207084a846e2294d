package mockapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestServers(t *testing.T) {
	_, c := newAPI(t, Options{})
	r := c.get("/servers").mustStatus(t, http.StatusOK)
	mustKeys(t, r.body, "data", "code")
	want := `[{"city":"Amsterdam","country_code":"NL","capacity":0,"id":1,"ip":"46.249.36.188","name":"ams-s02.321inter.net"},` +
		`{"city":"Rotterdam","country_code":"NL","capacity":0,"id":2,"ip":"213.163.64.39","name":"rtm-s01.321inter.net"},` +
		`{"city":"Bangkok","country_code":"TH","capacity":0,"id":3,"ip":"45.64.186.109","name":"bkk-s02.321inter.net"},` +
		`{"city":"Vancouver","country_code":"CA","capacity":0,"id":4,"ip":"71.19.251.107","name":"yvr-s01.321inter.net"}]`
	assertJSONEqual(t, r.body["data"], want)
	c.get("/servers?page=2").mustStatus(t, 200) // not paginated: no meta, same list
	if _, ok := c.get("/servers").body["meta"]; ok {
		t.Error("servers are paginated")
	}
}

func TestPorts(t *testing.T) {
	_, c := newAPI(t, Options{})
	r := c.get("/ports").mustStatus(t, http.StatusOK)
	mustKeys(t, r.body, "data", "code")
	assertJSONEqual(t, r.body["data"], `[{"id":1,"protocol":"udp","number":1194,"default":1},`+
		`{"id":2,"protocol":"udp","number":118,"default":0},{"id":3,"protocol":"udp","number":123,"default":0}]`)
}

func TestProfile(t *testing.T) {
	s, c := newAPI(t, Options{})
	r := c.get("/profile").mustStatus(t, http.StatusOK)
	assertJSONEqual(t, r.body, `{"data":{"balance":"253.70"},"code":200}`)
	for in, want := range map[string]string{"5": "5.00", "0.5": "0.50", "1234.56": "1234.56", "-3.1": "-3.10", ".75": "0.75"} {
		s.SetBalance(in)
		if got := c.get("/profile").data(t)["balance"]; got != want {
			t.Errorf("SetBalance(%q): balance %v, want %s", in, got, want)
		}
	}
	c.get("/profile", noAuth()).mustError(t, 401, "Unauthorized.")
	_, c2 := newAPI(t, Options{Balance: "1"})
	if got := c2.get("/profile").data(t)["balance"]; got != "1.00" {
		t.Errorf("Options.Balance: %v", got)
	}
}

func TestGeoIP(t *testing.T) {
	_, c := newAPI(t, Options{})
	for name, opt := range map[string]reqOpt{"no token": noAuth(), "wrong token": withToken("x"), "token": withToken(c.token)} {
		t.Run(name, func(t *testing.T) {
			r := c.get("/geoip", opt).mustStatus(t, http.StatusOK)
			assertJSONEqual(t, r.body, `{"data":{"ip":"127.0.0.1","country":"United States","iso_code":"US","city":"New Haven",`+
				`"lat":41.31,"lon":-72.92,"continent":"NA"},"code":200}`)
		})
	}
}

func assertJSONEqual(t *testing.T, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("got  %s\nwant %s", gb, wb)
	}
}
