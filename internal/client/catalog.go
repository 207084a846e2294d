package client

import (
	"context"
	"net/url"
	"strconv"
)

// ListServers fetches every VPN server (the list is not paginated).
func (c *Client) ListServers(ctx context.Context) ([]Server, error) {
	return getList[Server](ctx, c, "/servers")
}

// ListPorts fetches every OpenVPN port (the list is not paginated).
func (c *Client) ListPorts(ctx context.Context) ([]Port, error) {
	return getList[Port](ctx, c, "/ports")
}

// GetProfile fetches the reseller's profile (the balance).
func (c *Client) GetProfile(ctx context.Context) (*Profile, error) {
	var p Profile
	if err := c.do(ctx, request{method: "GET", path: "/profile"}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GeoIP locates the caller's IP address. It needs no token.
func (c *Client) GeoIP(ctx context.Context) (*GeoIP, error) {
	var g GeoIP
	if err := c.do(ctx, request{method: "GET", path: "/geoip", noAuth: true}, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// GetOpenVPNConfig fetches the OpenVPN client configuration for a server and
// port.
func (c *Client) GetOpenVPNConfig(ctx context.Context, serverID, portID int64) (*VPNConfig, error) {
	return c.getConfig(ctx, "/configuration/openvpn", openVPNQuery(serverID, portID))
}

// GetWireGuardConfig fetches the WireGuard client configuration of an account
// for a server. Its content holds the account's private key.
func (c *Client) GetWireGuardConfig(ctx context.Context, serverID, accountID int64) (*VPNConfig, error) {
	return c.getConfig(ctx, "/configuration/wireguard", wireGuardQuery(serverID, accountID))
}

func openVPNQuery(serverID, portID int64) url.Values {
	return url.Values{"server_id": {strconv.FormatInt(serverID, 10)}, "port_id": {strconv.FormatInt(portID, 10)}}
}

func wireGuardQuery(serverID, accountID int64) url.Values {
	return url.Values{"server_id": {strconv.FormatInt(serverID, 10)}, "account_id": {strconv.FormatInt(accountID, 10)}}
}

func (c *Client) getConfig(ctx context.Context, path string, q url.Values) (*VPNConfig, error) {
	var cfg VPNConfig
	if err := c.do(ctx, request{method: "GET", path: path, query: q}, &cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}
