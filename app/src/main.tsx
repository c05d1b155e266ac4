import { StrictMode, Suspense, lazy, useEffect, type ComponentType, type LazyExoticComponent } from "react";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { queryClient, prefetch } from "./api";
import { matchPath, usePath } from "./router";
import { WalletProvider } from "./wallet";
import { Layout } from "./components";
import * as q from "./queries";
import Overview from "./pages/Overview";
import "./styles.css";

type Params = Record<string, string>;
interface Route {
  path: string;
  page: ComponentType<{ params: Params }> | LazyExoticComponent<ComponentType<{ params: Params }>>;
  /** starts the page's first ledger request alongside its code (one round trip, not two) */
  data?: (p: Params) => void;
}

/** The page paths (kept exactly as issue #20 names them). */
const ROUTES: Route[] = [
  { path: "/", page: Overview, data: () => prefetch(q.overviewQuery()) },
  { path: "/projects", page: lazy(() => import("./pages/Projects")), data: () => prefetch(q.projectsQuery()) },
  { path: "/projects/:id", page: lazy(() => import("./pages/Project")), data: (p) => prefetch(q.projectQuery(p.id)) },
  { path: "/portfolio", page: lazy(() => import("./pages/Portfolio")) },
  { path: "/market", page: lazy(() => import("./pages/Market")), data: () => prefetch(q.listingsQuery()) },
  { path: "/pools/:name", page: lazy(() => import("./pages/Pool")), data: () => prefetch(q.poolsQuery()) },
  { path: "/deals/:id", page: lazy(() => import("./pages/Deal")), data: (p) => prefetch(q.dealQuery(p.id)) },
  {
    path: "/bonds/:address",
    page: lazy(() => import("./pages/Bond")),
    data: (p) => prefetch(q.bondQuery(p.address)),
  },
  {
    path: "/retirements/:beneficiary",
    page: lazy(() => import("./pages/Retirements")),
    data: (p) => prefetch(q.retirementsQuery(p.beneficiary)),
  },
  {
    path: "/certificates/:id",
    page: lazy(() => import("./pages/Certificate")),
    data: (p) => prefetch(q.certificateQuery(p.id)),
  },
];

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>No page at {window.location.pathname}.</p>
    </>
  );
}

function App() {
  const path = usePath();
  let route: Route | undefined;
  let params: Params = {};
  for (const r of ROUTES) {
    const m = matchPath(r.path, path);
    if (m) {
      route = r;
      params = m;
      break;
    }
  }
  route?.data?.(params);
  useEffect(() => {
    document.title = `Treelion · ${route ? route.path.split("/")[1] || "overview" : "not found"}`;
  }, [route]);
  const Page = route?.page ?? NotFound;
  return (
    <Layout>
      <Suspense fallback={<p aria-busy="true">Loading page…</p>}>
        <Page key={path} params={params} />
      </Suspense>
    </Layout>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <WalletProvider>
        <App />
      </WalletProvider>
    </QueryClientProvider>
  </StrictMode>,
);
