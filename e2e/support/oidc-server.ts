// A real OpenID Connect provider (oidc-provider) for sign-in tests. Any login name is accepted on
// its development login page, and the account's email is the login (or <login>@oidc.test).
import Provider from "oidc-provider";
import { e2eAppUrl, e2eOidcClient, e2ePorts } from "./env";

const port = Number(process.env.OIDC_PORT ?? e2ePorts.oidc);
const appUrl = process.env.APP_URL ?? e2eAppUrl;
const issuer = `http://localhost:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: e2eOidcClient.id,
      client_secret: e2eOidcClient.secret,
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // Put the email claim into the ID token, where next-auth reads the profile from.
  conformIdTokenClaims: false,
  cookies: { keys: ["e2e-oidc-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const email = id.includes("@") ? id.toLowerCase() : `${id.toLowerCase()}@oidc.test`;
    return { accountId: id, claims: async () => ({ sub: id, email, email_verified: true, name: id }) };
  },
});

provider.listen(port, () => console.log(`OpenID provider at ${issuer}`));
