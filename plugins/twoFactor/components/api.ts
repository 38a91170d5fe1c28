/** The first error of a Payload error response, with the data the login form looks at. */
type ApiError = {
  message: string
  data?: { twoFactorRequired?: boolean }
}

export const postJson = (url: string, body: unknown = {}): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

export const readErrorOf = async (response: Response): Promise<ApiError> => {
  const fallback = { message: `The server answered ${response.status}. Try again.` }
  try {
    const body = (await response.json()) as { errors?: ApiError[] }
    return body.errors?.[0] ?? fallback
  } catch {
    return fallback
  }
}
