import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="mb-2 text-2xl font-semibold">Not found</h1>
      <p className="mb-6 text-slate-600 dark:text-slate-400">There is nothing here, or you do not have access to it.</p>
      <Link href="/" className="text-blue-700 underline dark:text-blue-300">
        Back to your domains
      </Link>
    </main>
  );
}
