import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "DNS panel", description: "Domains, delegation and DNS records in one place" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">{children}</body>
    </html>
  );
}
