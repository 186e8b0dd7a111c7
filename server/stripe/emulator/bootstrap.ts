// Deterministic catalog applied at start and after every reset, so the app's config can name
// these ids without creating them.
export interface EmulatorBootstrap {
  meters: Array<{
    id: string;
    eventName: string;
    displayName: string;
    customerPayloadKey: string;
    valuePayloadKey: string;
  }>;
  products: Array<{ id: string; name: string }>;
  prices: Array<{
    id: string;
    product: string;
    currency: string;
    meter: string;
    unitAmountDecimal: string;
    lookupKey: string | null;
    nickname: string | null;
  }>;
}

export const defaultBootstrap: EmulatorBootstrap = {
  meters: [
    {
      id: "mtr_workspace_credits",
      eventName: "workspace_credits",
      displayName: "Workspace credits",
      customerPayloadKey: "stripe_customer_id",
      valuePayloadKey: "value",
    },
  ],
  products: [{ id: "prod_workspace_credits", name: "Workspace credits" }],
  // Meter values are credit cents; 1 credit cent of usage costs 0.1 cents (1 credit = $0.10 / €0.10).
  prices: [
    {
      id: "price_credits_usd",
      product: "prod_workspace_credits",
      currency: "usd",
      meter: "mtr_workspace_credits",
      unitAmountDecimal: "0.1",
      lookupKey: "workspace_credits_usd",
      nickname: "Workspace credits (USD)",
    },
    {
      id: "price_credits_eur",
      product: "prod_workspace_credits",
      currency: "eur",
      meter: "mtr_workspace_credits",
      unitAmountDecimal: "0.1",
      lookupKey: "workspace_credits_eur",
      nickname: "Workspace credits (EUR)",
    },
  ],
};
