import { useQuery } from "@tanstack/react-query";
import { useApi } from "../api";
import { Facts, Loadable } from "../components";
import { dateText, tonnesText } from "../format";
import { certificateQuery } from "../queries";
import { Link } from "../router";

/** A shareable certificate: the ledger's record, checked against the contract's tokenURI through the SDK. */
export default function Certificate({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const q = useApi(certificateQuery(id), {
    // right after a retirement the indexer may be a block behind: poll until it has the certificate
    refetchInterval: (query) => (query.state.data && (query.state.data as any).certificate ? false : 500),
  });
  const cert = q.data?.certificate;
  const chain = useQuery({
    queryKey: ["chain", "certificate", id],
    queryFn: async () => (await import("../chain")).readClient().certificateJson(BigInt(id)),
    enabled: /^\d+$/.test(id),
    staleTime: Infinity,
    retry: 1,
  });
  const verified =
    !!cert &&
    !!chain.data &&
    chain.data.tonnes === cert.tonnes &&
    chain.data.beneficiaryName === cert.beneficiaryName &&
    chain.data.reason === cert.reason &&
    chain.data.beneficiary.toLowerCase() === cert.beneficiary.toLowerCase() &&
    chain.data.batchIds.map(String).join(",") === cert.batchIds.join(",");
  const batchList = cert?.batches ?? [];

  return (
    <article className="certificate">
      <h1>Retirement certificate #{id}</h1>
      <Loadable q={q} what={`certificate #${id}`}>
        {(d) =>
          !d.certificate ? (
            <p aria-busy="true">Waiting for the ledger to index certificate #{id}…</p>
          ) : (
            <>
              <p className="amount">{tonnesText(d.certificate.amountKg)}</p>
              <p>
                retired for <strong className="beneficiary">{d.certificate.beneficiaryName}</strong>
              </p>
              {verified ? (
                <p className="badge ok">Verified on-chain</p>
              ) : chain.error ? (
                <p role="alert" className="error">
                  Could not check the certificate on-chain: {(chain.error as Error).message}
                </p>
              ) : chain.data && cert ? (
                <p role="alert" className="error">
                  The ledger and the contract disagree about this certificate
                </p>
              ) : (
                <p aria-busy="true">Checking on-chain…</p>
              )}
              <Facts
                items={[
                  ["Beneficiary name", d.certificate.beneficiaryName],
                  ["Reason", d.certificate.reason],
                  [
                    "Project",
                    batchList.length
                      ? [...new Set(batchList.map((b) => b!.project.name))].join(", ")
                      : (chain.data?.project ?? "…"),
                  ],
                  [
                    "Serial range",
                    batchList.length
                      ? batchList.map((b) => `${b!.serialStart}–${b!.serialEnd} (batch #${b!.id})`).join("; ")
                      : "…",
                  ],
                  [
                    "Beneficiary address",
                    <Link key="b" to={`/retirements/${d.certificate.beneficiary}`} className="mono">
                      {d.certificate.beneficiary}
                    </Link>,
                  ],
                  ["Retired by", <span className="mono">{d.certificate.retiredBy}</span>],
                  ["Retired on", dateText(d.certificate.retiredAt)],
                  ["Transaction", <span className="mono">{d.certificate.txHash}</span>],
                ]}
              />
              <p>
                Share this page: <span className="mono">{window.location.href}</span>
              </p>
            </>
          )
        }
      </Loadable>
    </article>
  );
}
