/**
 * The order page's shipments: per shipment its lines with the lots picked for each (and their expiry),
 * carrier, tracking, the advance ship notice (its reference and when its e-mail went out), dates and
 * proof of delivery, and ops' "Record delivery".
 */
import { post } from '../../api';
import { useCan } from '../../auth';
import type { AdvanceShipNotice, LineOtif, OrderView, PickedLot, ProofOfDelivery, ShipmentDetail } from '../../types';
import { ActionButton } from '../../components/ActionButton';
import { DateTime, localNow, StatusBadge } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { Table, type Column } from '../../components/Table';
import { enc } from './permissions';
import { useAfterAction } from './useAfterAction';

const DELIVERY = 'POST /v1/orders/:orderId/delivery';

export function Shipments({ order: o }: { order: OrderView }) {
  const columns: Column<ShipmentDetail>[] = [
    ...SHIPMENT_COLUMNS,
    {
      key: 'actions',
      header: 'Actions',
      render: (s) => (!s.deliveredAt && s.shippedAt ? <RecordDelivery orderId={o.orderId} shipment={s} /> : null),
    },
  ];
  return (
    <section aria-labelledby="shipments-title">
      <h2 id="shipments-title">Shipments</h2>
      {o.shipments.length === 0 ? (
        <EmptyState title="No shipment yet.">
          Shipments appear once stock is reserved and the warehouse releases them.
        </EmptyState>
      ) : (
        <Table caption="Shipments" columns={columns} rows={o.shipments} rowKey={(s) => s.shipmentId} />
      )}
    </section>
  );
}

const SHIPMENT_COLUMNS: Column<ShipmentDetail>[] = [
  {
    key: 'id',
    header: 'Shipment',
    render: (s) => (
      <>
        <div>{s.shipmentId}</div>
        <div className="muted small">{s.warehouseId}</div>
      </>
    ),
  },
  { key: 'status', header: 'Status', render: (s) => <StatusBadge status={s.status} /> },
  {
    key: 'lines',
    header: 'Lines and lots',
    render: (s) => (
      <ul className="plain">
        {s.lines.map((l) => (
          <li key={l.lineNo} data-testid={`line-${s.shipmentId}-${l.lineNo}`}>
            {l.quantity} × {l.sku} <Otif otif={l.otif} />
            {l.lots.length > 0 && (
              <ul className="plain small">
                {l.lots.map((lot) => (
                  <Lot key={lot.lotId} lot={lot} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    ),
  },
  {
    key: 'carrier',
    header: 'Carrier',
    render: (s) => (
      <>
        {s.carrierId ?? '—'}
        {s.mode && <div className="muted small">{s.mode}</div>}
      </>
    ),
  },
  { key: 'tracking', header: 'Tracking', render: (s) => s.trackingNumber ?? <span className="muted">—</span> },
  { key: 'asn', header: 'ASN', render: (s) => <Notice asn={s.asn} /> },
  {
    key: 'promised',
    header: 'Promised ship / delivery',
    render: (s) => (
      <>
        <DateTime value={s.promisedShipDate} /> / <DateTime value={s.promisedDeliveryDate} />
      </>
    ),
  },
  { key: 'shipped', header: 'Shipped', render: (s) => <DateTime value={s.shippedAt} /> },
  {
    key: 'pod',
    header: 'Proof of delivery',
    render: (s) =>
      s.deliveredAt ? (
        <>
          Delivered <DateTime value={s.deliveredAt} />
          <Pod pod={s.proofOfDelivery} />
        </>
      ) : (
        <span className="muted">—</span>
      ),
  },
];

/** Ops record a shipped shipment's proof of delivery: who signed and when. */
function RecordDelivery({ orderId, shipment: s }: { orderId: string; shipment: ShipmentDetail }) {
  const can = useCan();
  const done = useAfterAction(orderId);
  if (!can(DELIVERY)) return null;
  return (
    <ActionButton
      label="Record delivery"
      title={`Proof of delivery for ${s.shipmentId}`}
      fields={[
        { name: 'signer', label: 'Signed by', required: true },
        {
          name: 'deliveredAt',
          label: 'Delivered at',
          type: 'datetime-local',
          required: true,
          defaultValue: localNow(),
        },
      ]}
      onSubmit={(v) =>
        post(`/orders/${enc(orderId)}/delivery`, {
          shipmentId: s.shipmentId,
          signer: v.signer,
          deliveredAt: new Date(v.deliveredAt ?? '').toISOString(),
        })
      }
      onDone={() => done(`Delivery recorded for ${s.shipmentId}`)}
    />
  );
}

function Lot({ lot }: { lot: PickedLot }) {
  return (
    <li className="muted">
      lot {lot.lotId} × {lot.quantity},{' '}
      {lot.expiryDate ? (
        <>
          expires <DateTime value={lot.expiryDate} />
        </>
      ) : (
        'no expiry'
      )}
    </li>
  );
}

/** Not built yet (or skipped), built and still being mailed, or sent. */
function Notice({ asn }: { asn: AdvanceShipNotice | null }) {
  if (!asn) return <span className="muted">not sent</span>;
  return (
    <div data-testid="asn">
      <div>{asn.reference}</div>
      <div className="small">
        {asn.sentAt ? (
          <>
            sent <DateTime value={asn.sentAt} />
          </>
        ) : (
          <span className="muted">being sent</span>
        )}
      </div>
    </div>
  );
}

/** A delivered line's OTIF: the SLA penalty question finance and ops ask first. */
function Otif({ otif }: { otif: LineOtif | null }) {
  if (!otif) return null;
  const verdict =
    otif.isOnTime && otif.isInFull
      ? 'OTIF'
      : [!otif.isOnTime && 'late', !otif.isInFull && `${otif.goodQuantity} good`].filter(Boolean).join(', ');
  return (
    <span
      className={`badge ${otif.isOnTime && otif.isInFull ? 'badge-good' : 'badge-warn'}`}
      data-testid="otif"
      title={`promised ${otif.promisedDate}, delivered ${otif.deliveredDate}`}
    >
      {verdict}
    </span>
  );
}

function Pod({ pod }: { pod: ProofOfDelivery | null }) {
  if (!pod) return null;
  return (
    <div className="small" data-testid="pod">
      {pod.signer && <div>signed by {pod.signer}</div>}
      {pod.exceptions.map((e, i) => (
        <div key={i}>
          line {e.lineNo}: {e.quantity} {e.type}
          {e.note ? ` (${e.note})` : ''}
        </div>
      ))}
    </div>
  );
}
