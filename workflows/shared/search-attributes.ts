/**
 * Custom search attributes: registered with the server at start-up (runtime/temporal-server.ts) and
 * upserted by workflows, so the Temporal UI and `temporal workflow list --query` can filter orders.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrderStatus = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CurrentStep = defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD);
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const NeedsAttention = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [OrderStatus, CurrentStep, CustomerId, NeedsAttention, SlaBreached] as const;
