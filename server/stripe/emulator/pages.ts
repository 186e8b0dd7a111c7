// Hosted pages a browser completes without JavaScript: Checkout and the customer portal.
import type Stripe from "stripe";
import { periodOf } from "./state";

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
  main { max-width: 480px; margin: 48px auto; background: #fff; padding: 32px; border-radius: 8px;
         box-shadow: 0 2px 8px rgba(0,0,0,.08); }
  .badge { display: inline-block; font-size: 12px; background: #ffde92; padding: 2px 8px; border-radius: 4px; }
  label { display: block; margin: 16px 0 4px; font-weight: 600; }
  input[type=email] { width: 100%; padding: 8px; box-sizing: border-box; }
  button { margin-top: 16px; padding: 10px 16px; background: #635bff; color: #fff; border: 0;
           border-radius: 6px; font-size: 16px; cursor: pointer; }
  button.secondary { background: #e3e8ee; color: #1a1f36; }
  a { color: #635bff; }
  table { width: 100%; border-collapse: collapse; margin-top: 8px; }
  td, th { text-align: left; padding: 4px 0; }
</style>
</head>
<body><main>
<p class="badge">Test mode · Stripe emulator</p>
${body}
</main></body>
</html>`;
}

function formatDate(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 10);
}

function priceLabel(price: Stripe.Price): string {
  const unit = price.unit_amount_decimal?.toString() ?? String(price.unit_amount ?? 0);
  const per = price.recurring?.usage_type === "metered" ? "per unit of usage" : "per unit";
  return `${unit} ${price.currency.toUpperCase()} cents ${per}, billed ${price.recurring?.interval ?? "once"}ly`;
}

export function checkoutPage(session: Stripe.Checkout.Session, price: Stripe.Price, product: Stripe.Product | undefined, email: string | null): string {
  if (session.status !== "open") {
    return layout(
      "Checkout",
      `<h1>This checkout session is ${escapeHtml(session.status ?? "closed")}</h1>
<p><a href="${escapeHtml((session.success_url ?? "/").replace(/\{CHECKOUT_SESSION_ID\}/g, session.id))}">Continue</a></p>`,
    );
  }
  return layout(
    "Checkout",
    `<h1>Subscribe to ${escapeHtml(product?.name ?? price.nickname ?? price.id)}</h1>
<p data-testid="price">${escapeHtml(priceLabel(price))}</p>
<form method="post" action="/checkout/${escapeHtml(session.id)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required value="${escapeHtml(email ?? "")}">
  <label>Card</label>
  <p>4242 4242 4242 4242 (test card, always accepted)</p>
  <button type="submit">Subscribe</button>
</form>
<p><a href="/checkout/${escapeHtml(session.id)}/cancel">Cancel</a></p>`,
  );
}

export function portalPage(
  portal: Stripe.BillingPortal.Session,
  customer: Stripe.Customer,
  subscriptions: Stripe.Subscription[],
  invoices: Stripe.Invoice[],
): string {
  const subs = subscriptions
    .map((sub) => {
      const { start, end } = periodOf(sub);
      const price = sub.items.data[0]?.price;
      const actions =
        sub.status === "canceled"
          ? ""
          : `<form method="post" action="/portal/${escapeHtml(portal.id)}/subscriptions/${escapeHtml(sub.id)}/cancel">
    <button type="submit">Cancel subscription</button>
  </form>
  ${
    sub.cancel_at_period_end
      ? `<form method="post" action="/portal/${escapeHtml(portal.id)}/subscriptions/${escapeHtml(sub.id)}/renew">
    <button type="submit" class="secondary">Renew subscription</button>
  </form>`
      : `<form method="post" action="/portal/${escapeHtml(portal.id)}/subscriptions/${escapeHtml(sub.id)}/cancel-at-period-end">
    <button type="submit" class="secondary">Cancel at period end</button>
  </form>`
  }`;
      return `<section data-subscription="${escapeHtml(sub.id)}">
  <h2>${escapeHtml(price?.nickname ?? price?.id ?? sub.id)}</h2>
  <p>Status: <strong data-testid="subscription-status">${escapeHtml(sub.status)}</strong>${
    sub.cancel_at_period_end ? ` · cancels on ${formatDate(end)}` : ""
  }</p>
  <p>Current period: ${formatDate(start)} → ${formatDate(end)}</p>
  ${actions}
</section>`;
    })
    .join("\n");
  const rows = invoices
    .map(
      (i) =>
        `<tr><td>${i.hosted_invoice_url ? `<a href="/invoices/${escapeHtml(i.id)}">${escapeHtml(i.number ?? i.id)}</a>` : escapeHtml(i.number ?? i.id)}</td><td>${formatDate(i.created)}</td><td>${(i.total / 100).toFixed(2)} ${escapeHtml(
          i.currency.toUpperCase(),
        )}</td><td>${escapeHtml(i.status ?? "")}</td></tr>`,
    )
    .join("\n");
  return layout(
    "Billing",
    `<h1>Billing for ${escapeHtml(customer.email ?? customer.id)}</h1>
${subs || "<p>No subscriptions.</p>"}
<h2>Invoices</h2>
${rows ? `<table><tr><th>Number</th><th>Date</th><th>Total</th><th>Status</th></tr>${rows}</table>` : "<p>No invoices yet.</p>"}
<p><a href="${escapeHtml(portal.return_url ?? "/")}">Return</a></p>`,
  );
}

export function invoicePage(invoice: Stripe.Invoice): string {
  const money = (cents: number) => `${(cents / 100).toFixed(2)} ${invoice.currency.toUpperCase()}`;
  const lines = invoice.lines.data
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.description ?? "")}</td><td>${l.quantity ?? 0}</td><td>${money(l.amount)}</td></tr>`,
    )
    .join("\n");
  const pay =
    invoice.status === "open"
      ? `<form method="post" action="/invoices/${escapeHtml(invoice.id)}/pay"><button type="submit">Pay invoice</button></form>`
      : "";
  return layout(
    `Invoice ${invoice.number ?? invoice.id}`,
    `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
<p>Status: <strong data-testid="invoice-status">${escapeHtml(invoice.status ?? "")}</strong></p>
<p>Period: ${formatDate(invoice.period_start)} → ${formatDate(invoice.period_end)}</p>
<table><tr><th>Description</th><th>Quantity</th><th>Amount</th></tr>${lines}</table>
<p>Total: <strong>${money(invoice.total)}</strong> · Amount due: ${money(invoice.amount_remaining)}</p>
${pay}`,
  );
}
