import type { Metadata, Viewport } from "next";
import { TRPCReactProvider } from "./_trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Workspace usage", template: "%s · Workspace usage" },
  description: "Usage, spending limits and billing for cloud development workspaces.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
