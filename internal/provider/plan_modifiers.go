package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// Plan modifiers shared by the resources.

// keepWhenUnset plans an Optional+Computed attribute left out of the
// configuration as the value it has (null for a new object), so leaving it
// out never changes, or replaces, anything.
type keepWhenUnset struct{}

func (keepWhenUnset) Description(context.Context) string {
	return "when not configured, keeps the value the object has"
}
func (m keepWhenUnset) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }
func (keepWhenUnset) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue
	}
}
