// The demo's people and teams. Deterministic, and shared with the end-to-end tests (which sign in
// as these accounts), so keep emails and ids stable.
export const platformAdmin = { id: "u-admin", email: "admin@example.com", name: "Pat Admin" };

export interface SeedTeam {
  id: string;
  name: string;
  /** Spending limit in credits for the current cycle (globex's is derived to sit at ~85 %). */
  limitCredits: number | "85%";
  /** Upgraded to Stripe by the demo (the emulator must be running for that). */
  paying: boolean;
  sessionsPerMemberPerDay: number;
  members: { id: string; email: string; name: string; role: "OWNER" | "MEMBER" }[];
}

const person = (first: string, domain: string, role: "OWNER" | "MEMBER") => ({
  id: `u-${first}`,
  email: `${first}@${domain}`,
  name: `${first[0]?.toUpperCase() ?? ""}${first.slice(1)} ${domain.split(".")[0]?.replace(/^./, (c) => c.toUpperCase()) ?? ""}`,
  role,
});

export const seedTeams: SeedTeam[] = [
  {
    id: "team-acme",
    name: "Acme Corp",
    limitCredits: 3000,
    paying: false,
    sessionsPerMemberPerDay: 3,
    members: [person("alice", "acme.test", "OWNER"), person("bob", "acme.test", "MEMBER"), person("carol", "acme.test", "MEMBER"), person("dan", "acme.test", "MEMBER")],
  },
  {
    id: "team-globex",
    name: "Globex",
    limitCredits: "85%",
    paying: false,
    sessionsPerMemberPerDay: 6,
    members: [person("grace", "globex.test", "OWNER"), person("heidi", "globex.test", "MEMBER"), person("ivan", "globex.test", "MEMBER"), person("judy", "globex.test", "MEMBER")],
  },
  {
    id: "team-initech",
    name: "Initech",
    limitCredits: 20000,
    paying: true,
    sessionsPerMemberPerDay: 9,
    members: [person("peter", "initech.test", "OWNER"), person("milton", "initech.test", "MEMBER"), person("samir", "initech.test", "MEMBER"), person("michael", "initech.test", "MEMBER")],
  },
];

export const workspaceClasses = ["g1-small", "g1-standard", "g1-standard", "g1-large"] as const;
