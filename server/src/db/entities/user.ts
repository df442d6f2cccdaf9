import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    /** Stored lower-cased so one person cannot register twice with different casing. */
    email: p.string().length(254).unique(),
    name: p.string().length(100),
    passwordHash: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type User = InferEntity<typeof UserEntity>
/** Who is signed in: what requests carry around, without the password hash or an ORM entity. */
export type UserRef = Pick<User, 'id' | 'email' | 'name'>
