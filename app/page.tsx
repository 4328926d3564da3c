export default function Home() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">DNS panel</h1>
      <p className="mt-4 text-slate-600 dark:text-slate-300">
        Delegation lives at the registry and says which nameservers answer for your domain. Records live in the zone on
        those nameservers. This panel manages both.
      </p>
    </main>
  );
}
