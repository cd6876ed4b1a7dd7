/**
 * One order (or baseline run) driven to "fulfilled": the proof of delivery goes to the first shipment
 * as soon as it awaits delivery. The driver follows the order's history until the shipment has started,
 * then the shipment's until it has issued the commands that precede the wait, and sends the update then.
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { countCommands } from '../workflow-shape';
import { driveRun, unlessStuck, waitForHistory, type OneRun } from './runs';

const EventType = temporal.api.enums.v1.EventType;

export interface RunDriver<Args extends [unknown, ...unknown[]]> {
  client: Client;
  /** Starts the run; resolves with its workflow id. */
  start: () => Promise<string>;
  delivery: UpdateDefinition<unknown, Args>;
  deliveryArgs: () => Args;
  /** Commands the shipment issues before it awaits delivery (from the recorded shape). */
  commandsBeforeDelivery: number;
  expectedStatus: string;
  pollMs: number;
}

export function driveOne<Args extends [unknown, ...unknown[]]>(driver: RunDriver<Args>): Promise<OneRun> {
  const { client } = driver;
  const shipmentOf = (workflowId: string) => `${workflowId}-S1`;
  return driveRun({
    client,
    pollMs: driver.pollMs,
    start: driver.start,
    awaitReady: async (workflowId, follow) => {
      const shipmentId = shipmentOf(workflowId);
      const isShipmentStarted = await waitForHistory(
        client,
        workflowId,
        unlessStuck(workflowId, (events) =>
          events.some((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED),
        ),
        follow,
      );
      return (
        isShipmentStarted &&
        (await waitForHistory(
          client,
          shipmentId,
          unlessStuck(shipmentId, (events) => countCommands(events) >= driver.commandsBeforeDelivery),
          follow,
        ))
      );
    },
    send: async (workflowId) => {
      await client.workflow
        .getHandle(shipmentOf(workflowId))
        .executeUpdate(driver.delivery, { args: driver.deliveryArgs() });
    },
    message: 'proof of delivery',
    expectedStatus: driver.expectedStatus,
  });
}
