import { defineStore } from 'pinia'
import type { BrokerCall } from '@cloudlink/shared'
import * as brokerApi from '@/api/broker'
import { usePagedRead } from './paged-read'

/** The open workspace's broker calls (owners only), newest first, paged by cursor. */
export const useBrokerCallsStore = defineStore('broker-calls', () =>
  usePagedRead<BrokerCall>(brokerApi.listBrokerCalls),
)
