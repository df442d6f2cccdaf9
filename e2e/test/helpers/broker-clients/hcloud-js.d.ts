/** The part of hcloud-js (which ships no types) that the broker clients use. */
declare module 'hcloud-js' {
  interface Server {
    id: number
    name: string
    status: string
    rootPassword: string | null
  }
  interface Action {
    id: number
    command: string
    status: string
  }
  interface ServerList {
    servers: Server[]
    nextPage: number | null
    next(): Promise<ServerList>
  }
  interface ServerBuilder {
    serverType(type: string | number): ServerBuilder
    image(image: string | number): ServerBuilder
    location(location: string | number): ServerBuilder
    create(): Promise<{ server: Server; action: Action }>
  }
  interface Client {
    servers: {
      list(params?: { perPage?: number; page?: number }): Promise<ServerList>
      build(name: string): ServerBuilder
      delete(id: number): Promise<Action>
    }
  }
  interface APIError extends Error {
    code: string
  }
  const hcloud: {
    Client: new (opts: { token: string; baseURL?: string; timeout?: number }) => Client
    APIError: (new () => APIError) & { FORBIDDEN: string }
  }
  export default hcloud
}
