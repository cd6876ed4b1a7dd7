import { useHarness } from '../support/harness';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { orderIdForDeal } from '../../domain/closed-won';
import { deliverShipment } from '../support/flows';
import { expectInReadingOrder, overlappingItems, readingOrder, readPdf } from '../support/read-pdf';

const h = useHarness();

const deliver = (
  shipmentId: string,
  exceptions: { lineNo: number; type: 'damaged' | 'short'; quantity: number }[] = [],
) => deliverShipment(h, shipmentId, { exceptions });

describe('order to delivered', () => {
  it('validates, reserves, creates the ERP order, ships from one warehouse with FEFO lots and records proof of delivery', async () => {
    const f = await createFixture(h.db);
    const event = f.event();
    const orderId = orderIdForDeal(event.dealId);
    expect((await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event })).statusCode).toBe(202);

    const shipmentId = `${orderId}-S1`;
    await h.waitForState(shipmentId, (s) =>
      s.steps.some((st) => st.name === 'await-delivery' && st.status === 'waiting'),
    );

    const order = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(order.steps.map((s) => [s.name, s.status])).toEqual([
      ['record-order', 'completed'],
      ['send-order-received', 'completed'],
      ['validate-order', 'completed'],
      ['credit-check', 'completed'],
      ['credit-approval', 'not_required'],
      ['reserve-stock', 'completed'],
      ['create-erp-order', 'completed'],
      ['send-order-confirmation', 'completed'],
    ]);

    const erp = await h.db.erpOrder.findUniqueOrThrow({ where: { orderId } });
    expect(erp.erpOrderNumber).toMatch(/^SO-\d{7}$/);
    expect(Number((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).totalMinor)).toBe(
      240 * 2150 + 1200 * 85 + 12 * 9200,
    );

    const shipment = await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    expect(shipment).toMatchObject({ warehouseId: f.warehouses.primary, status: 'shipped', mode: 'LTL' });
    // Hazard class 3 on board: only a carrier that accepts it (other test files may add carriers).
    const carrier = await h.db.carrier.findUniqueOrThrow({ where: { id: shipment.carrierId! } });
    expect(carrier.acceptedHazardClasses).toContain('3');
    expect(shipment.trackingNumber).toMatch(new RegExp(`^${carrier.id.slice(0, 3).toUpperCase()}`));
    // FEFO within the 90-day shelf-life minimum: the expired and short-dated lots are never picked.
    const picks = (shipment.picks as { lines: { sku: string; lots: { lotId: string; quantity: number }[] }[] }).lines;
    expect(picks.find((l) => l.sku === f.sku.solvent)!.lots).toEqual([
      expect.objectContaining({ lotId: `LOT-A-${f.tag}`, quantity: 12 }),
    ]);
    const lots = await h.db.stockLot.findMany({
      where: { sku: f.sku.solvent, warehouseId: f.warehouses.primary },
      orderBy: { lotId: 'asc' },
    });
    expect(Object.fromEntries(lots.map((l) => [l.lotId, l.quantity]))).toEqual({
      [`LOT-A-${f.tag}`]: 5,
      [`LOT-B-${f.tag}`]: 17,
      [`LOT-EXPIRED-${f.tag}`]: 2,
      [`LOT-SHORT-${f.tag}`]: 4,
    });
    const stock = await h.db.stock.findUniqueOrThrow({
      where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } },
    });
    expect(stock).toMatchObject({ onHand: 760, reserved: 0 });

    const delivered = await deliver(shipmentId, [{ lineNo: 2, type: 'damaged', quantity: 10 }]);
    expect(delivered.status).toBe('delivered');
    const done = await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    expect(done.status).toBe('fulfilled');

    const otif = await h.db.lineOtif.findMany({ where: { orderId }, orderBy: { lineNo: 'asc' } });
    expect(otif.map((l) => [l.lineNo, l.isOnTime, l.isInFull, l.goodQuantity])).toEqual([
      [1, true, true, 240],
      [2, true, false, 1190],
      [3, true, true, 12],
    ]);
    // The order ends fulfilled once its invoice is issued (CRM `invoiced`); the invoice e-mail follows.
    expect(
      (await h.db.crmMilestone.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } })).map((m) => m.milestone),
    ).toEqual(['confirmed', 'shipped', 'delivered', 'invoiced']);
    await h.mail.waitFor((m) => m.subject?.startsWith('Invoice INV-') === true && m.subject.includes(event.poNumber));
    const templates = (await h.db.outboundEmail.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } })).map(
      (m) => m.template,
    );
    expect(templates).toEqual(['order-received', 'order-confirmation', 'advance-ship-notice', 'shipped', 'invoice']);
    const received = h.mail
      .messages()
      .filter((m) => m.subject?.includes(event.poNumber) || m.subject?.includes(orderId));
    expect(received.map((m) => m.subject!.split(/[: ]/)[0])).toHaveLength(5);
    const asn = h.mail.messages().find((m) => m.subject?.startsWith(`Advance ship notice ${shipmentId}`))!;
    expect(asn.text).toContain(`LOT-A-${f.tag}`);
    expect(asn.text).toContain(shipment.trackingNumber!);
    expect(isoDay()).toBeTruthy();

    // Every e-mail is HTML with a plain-text alternative.
    for (const mail of received) {
      expect({
        subject: mail.subject,
        hasText: !!mail.text?.trim(),
        hasHtml: mail.html?.startsWith('<!DOCTYPE html>'),
      }).toEqual({ subject: mail.subject, hasText: true, hasHtml: true });
    }
    expect(asn.html).toContain(`LOT-A-${f.tag}`);

    // The ASN carries the shipment's packing list; read back, it names what the dock checks.
    expect(asn.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`packing-list-${shipmentId}.pdf`, 'application/pdf'],
    ]);
    const packingList = readPdf(asn.attachments[0]!.content);
    expectInReadingOrder(readingOrder(packingList), [
      'Packing list',
      shipmentId,
      'PO number',
      event.poNumber,
      'Ship date',
      'Carrier',
      carrier.name,
      'Tracking',
      shipment.trackingNumber!,
      'Ship to',
      event.shipTo.line1,
      'Qty shipped',
      f.sku.solvent,
      `LOT-A-${f.tag} (12, exp`,
      'Packages:',
      'Page 1 of 1',
    ]);
    expect(packingList.pages.flatMap(overlappingItems)).toEqual([]);
  });
});
