'use client'

import { toast, useConfig } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import { useState } from 'react'

import { postJson, readErrorOf } from './api'

type TwoFactorRequest = (
  path: string,
  body?: unknown,
) => Promise<Record<string, unknown> | undefined>

/**
 * Posts to one of the collection's /2fa/* endpoints; an error is shown as a toast and answers
 * undefined. `isBusy` is true while a request is under way, so buttons cannot send it twice.
 */
export const useTwoFactorRequest = (
  collectionSlug: string,
): { call: TwoFactorRequest; isBusy: boolean } => {
  const {
    config: {
      routes: { api: apiRoute },
    },
  } = useConfig()
  const [isBusy, setIsBusy] = useState(false)

  const call: TwoFactorRequest = async (path, body) => {
    setIsBusy(true)
    try {
      const response = await postJson(
        formatAdminURL({ apiRoute, path: `/${collectionSlug}${path}` }),
        body,
      )
      if (response.ok) return (await response.json()) as Record<string, unknown>
      toast.error((await readErrorOf(response)).message)
      return undefined
    } finally {
      setIsBusy(false)
    }
  }

  return { call, isBusy }
}
