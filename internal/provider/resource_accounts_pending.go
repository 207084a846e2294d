package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The record vpnresellers_accounts keeps in its private state of the
// creates whose outcome was unknown: written by the apply, read by the
// plan and the refresh.

// privateFleetPending is the private-state key of fleetPending.
const privateFleetPending = "pending_creates"

// fleetPending is this resource's own record, by username, of the creates
// whose outcome was unknown (an answer lost, an interrupt): the note of each
// (client.PendingCreate), which holds no secret. It is the only thing that
// lets a later apply take an account such a create made
// (client.ResumeCreateAccount): a matching name or password never does.
type fleetPending map[string]client.PendingCreate

// pendingCreates reads the records from private state, and from this run's
// memory (the refresh of a tainted resource, which Terraform plans with no
// private state, left them there), for the keys still planned.
func (r *accountsResource) pendingCreates(ctx context.Context, priv privateData, planned map[string]fleetEntry) (fleetPending, diag.Diagnostics) {
	out := fleetPending{}
	var diags diag.Diagnostics
	if priv != nil {
		b, d := priv.GetKey(ctx, privateFleetPending)
		diags.Append(d...)
		if len(b) > 0 && json.Unmarshal(b, &out) != nil {
			diags.AddError("Unreadable private state", "The record of this resource's unfinished creates cannot be read.")
		}
	}
	for name := range planned {
		if p, ok := r.run.recorded(usernameRef(name)); ok {
			out[name] = p
		}
	}
	for name := range out {
		if _, ok := planned[name]; !ok {
			delete(out, name)
		}
	}
	return out, diags
}

// save writes the records into private state.
func (p fleetPending) save(ctx context.Context, priv privateData) diag.Diagnostics {
	var b []byte
	if len(p) > 0 {
		b, _ = json.Marshal(p) // a map of plain structs always marshals
	}
	return priv.SetKey(ctx, privateFleetPending, b)
}
