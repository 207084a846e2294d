package mockapi

import (
	"net"
	"net/http"
)

// server is a VPN server. Its WireGuard key pair is not part of the
// documented server object; the public key appears in WireGuard configs.
type server struct {
	id          int
	name        string
	ip          string
	countryCode string
	city        string
	capacity    int
	wgPrivate   string
	wgPublic    string
}

// serverView is the documented server object.
type serverView struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	IP          string `json:"ip"`
	CountryCode string `json:"country_code"`
	City        string `json:"city"`
	Capacity    int    `json:"capacity"`
}

func (sv server) view() serverView {
	return serverView{ID: sv.id, Name: sv.name, IP: sv.ip, CountryCode: sv.countryCode, City: sv.city, Capacity: sv.capacity}
}

// port is an OpenVPN port; Default is the integer 1 or 0 as in the document.
type port struct {
	ID       int    `json:"id"`
	Protocol string `json:"protocol"`
	Number   int    `json:"number"`
	Default  int    `json:"default"`
}

// seedServers returns the four servers of the document's "List servers"
// example, each with a fresh WireGuard key pair.
func seedServers() []server {
	list := []server{
		{id: 1, name: "ams-s02.321inter.net", ip: "46.249.36.188", countryCode: "NL", city: "Amsterdam"},
		{id: 2, name: "rtm-s01.321inter.net", ip: "213.163.64.39", countryCode: "NL", city: "Rotterdam"},
		{id: 3, name: "bkk-s02.321inter.net", ip: "45.64.186.109", countryCode: "TH", city: "Bangkok"},
		{id: 4, name: "yvr-s01.321inter.net", ip: "71.19.251.107", countryCode: "CA", city: "Vancouver"},
	}
	for i := range list {
		priv, pub, err := newKeyPair()
		if err != nil {
			panic("mockapi: generating server keys: " + err.Error())
		}
		list[i].wgPrivate, list[i].wgPublic = priv, pub
	}
	return list
}

// seedPorts returns the three ports of the document's "List ports" example.
func seedPorts() []port {
	return []port{
		{ID: 1, Protocol: "udp", Number: 1194, Default: 1},
		{ID: 2, Protocol: "udp", Number: 118, Default: 0},
		{ID: 3, Protocol: "udp", Number: 123, Default: 0},
	}
}

func (s *Server) serverByID(id int) (server, bool) {
	for _, sv := range s.servers {
		if sv.id == id {
			return sv, true
		}
	}
	return server{}, false
}

func (s *Server) portByID(id int) (port, bool) {
	for _, p := range s.ports {
		if p.ID == id {
			return p, true
		}
	}
	return port{}, false
}

// GET /servers: the whole list, not paginated.
func (s *Server) listServers(*reqCtx) response {
	out := make([]serverView, len(s.servers))
	for i, sv := range s.servers {
		out[i] = sv.view()
	}
	return okData(http.StatusOK, out)
}

// GET /ports: the whole list, not paginated.
func (s *Server) listPorts(*reqCtx) response {
	return okData(http.StatusOK, append([]port(nil), s.ports...))
}

type profileView struct {
	Balance string `json:"balance"`
}

// GET /profile: the current balance with two decimals.
func (s *Server) profile(*reqCtx) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return okData(http.StatusOK, profileView{Balance: formatMoney(s.balance)})
}

type geoView struct {
	IP        string  `json:"ip"`
	Country   string  `json:"country"`
	IsoCode   string  `json:"iso_code"`
	City      string  `json:"city"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Continent string  `json:"continent"`
}

// GET /geoip (no token needed): the caller's IP with the document's sample
// location.
func (s *Server) geoip(rc *reqCtx) response {
	ip := rc.r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	return okData(http.StatusOK, geoView{IP: ip, Country: "United States", IsoCode: "US", City: "New Haven",
		Lat: 41.31, Lon: -72.92, Continent: "NA"})
}
