package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// State upgrades shared by the resources.

// upgradeDroppingAttributes upgrades a state to the current schema when the
// only change is that attributes were removed (they are left behind) or
// added (they are null, for the caller to set).
func upgradeDroppingAttributes(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if req.RawState == nil {
		resp.Diagnostics.AddError("Unable to upgrade state", "The prior state is missing.")
		return
	}
	v, err := req.RawState.UnmarshalWithOpts(resp.State.Schema.Type().TerraformType(ctx), tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to upgrade state", "The prior state could not be read: "+err.Error())
		return
	}
	resp.State.Raw = v
}
