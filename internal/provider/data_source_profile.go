package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*profileDataSource)(nil)

func newProfileDataSource() datasource.DataSource { return &profileDataSource{} }

// profileDataSource reads the reseller's own profile: the balance.
type profileDataSource struct {
	dataSourceClient
}

type profileDataSourceModel struct {
	Balance     types.Number `tfsdk:"balance"`
	BalanceText types.String `tfsdk:"balance_text"`
}

// numberPrecision is the precision (in bits) Terraform itself gives numbers
// it parses, so a balance parsed here equals the same literal written in the
// configuration: "0.10" compares equal to 0.1, which a float64 would not.
const numberPrecision = 512

// parseDecimal parses a decimal string such as "253.70" the way Terraform
// parses a number literal.
func parseDecimal(s string) (*big.Float, error) {
	f, _, err := big.ParseFloat(strings.TrimSpace(s), 10, numberPrecision, big.ToNearestEven)
	if err != nil {
		return nil, err
	}
	if f.IsInf() {
		return nil, fmt.Errorf("%q is out of range", s)
	}
	return f, nil
}

func (d *profileDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_profile"
}

func (d *profileDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads your reseller profile: the current balance, from which new accounts are paid. " +
			"Pair it with a `check` block to hear about a low balance before the API refuses to " +
			"create accounts (402 Insufficient Balance). " +
			"A `check` block only warns; a `precondition` on a resource stops the run.",
		Attributes: map[string]schema.Attribute{
			"balance": schema.NumberAttribute{
				MarkdownDescription: "The balance as a number, for comparisons and arithmetic (`balance > 10`). It is " +
					"the API's decimal value exactly: `\"253.70\"` becomes `253.7`, and `\"0.10\"` equals `0.1`.",
				Computed: true,
			},
			"balance_text": schema.StringAttribute{
				MarkdownDescription: "The balance exactly as the API wrote it, such as `\"253.70\"` (always with the " +
					"API's decimals), for messages and display.",
				Computed: true,
			},
		},
	}
}

func (d *profileDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	p, err := d.client.GetProfile(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the reseller profile", err, nil)
		return
	}
	text := string(p.Balance)
	balance, err := parseDecimal(text)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected balance from the API",
			fmt.Sprintf("The API answered with a balance of %q, which is not a decimal number: %v. "+
				"This is a bug in the API or the provider; please report it.", text, err))
		return
	}
	m := profileDataSourceModel{Balance: types.NumberValue(balance), BalanceText: types.StringValue(text)}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
