import { describe, expect, test } from 'vitest'
import { groupTraits, personTraits } from './person-traits'

describe('personTraits', () => {
  test('email and phone are identifiers, soft PII is user_data, the rest is kept', () => {
    expect(
      personTraits({
        email: 'Jane@Shop.io',
        phone: 4915123456789,
        firstName: 'Jane',
        last_name: 'Doe',
        address: { street: 'Main 1', city: 'Berlin', postalCode: 10115, state: 'BE', country: 'DE' },
        birthday: '1990-07-04T00:00:00.000Z',
        gender: 'female',
        plan: 'pro',
        logins: 5,
        company: { name: 'Acme' },
      }),
    ).toEqual({
      identifiers: [
        { type: 'email', value: 'Jane@Shop.io' },
        { type: 'phone', value: '4915123456789' },
      ],
      userData: { fn: 'Jane', ln: 'Doe', ct: 'Berlin', zp: '10115', st: 'BE', country: 'DE', db: '1990-07-04', ge: 'female' },
      kept: { plan: 'pro', logins: 5, company: { name: 'Acme' } },
      dropped: ['address.street'],
    })
  })

  test('a full name gives first and last names unless they are sent', () => {
    expect(personTraits({ name: 'Mary Ann Smith' }).userData).toEqual({ fn: 'Mary', ln: 'Smith' })
    expect(personTraits({ name: 'Cher' }).userData).toEqual({ fn: 'Cher' })
    expect(personTraits({ name: 'Mary Smith', firstName: 'Maria' }).userData).toEqual({ fn: 'Maria' })
  })

  test('personal traits without a hashed form, and emails anywhere, are never kept', () => {
    const traits = personTraits({
      username: 'jdoe',
      avatar: 'https://cdn/jdoe.png',
      address: '1 Main St',
      work_email: 'jane@acme.io',
      company: { name: 'Acme', contact: 'boss@acme.io' },
      aliases: ['jd', 'jane.doe@old.io'],
      note: 'not @ an address',
    })
    expect(traits.kept).toEqual({ company: { name: 'Acme' }, aliases: ['jd'], note: 'not @ an address' })
    expect(traits.dropped.sort()).toEqual(['address', 'aliases[1]', 'avatar', 'company.contact', 'username', 'work_email'])
  })

  test('trait names match whatever their case or separators; an object where a value is due is dropped', () => {
    const traits = personTraits({ 'E-Mail': 'a@shop.io', FirstName: 'A', email_address: 'b@shop.io', gender: { x: 1 } })
    expect(traits.identifiers.map((i) => i.value)).toEqual(['a@shop.io', 'b@shop.io'])
    expect(traits.userData).toEqual({ fn: 'A' })
    expect(traits.dropped).toEqual(['gender'])
  })
})

describe('groupTraits', () => {
  test("a company keeps its traits but not its contact's email or phone", () => {
    expect(groupTraits({ name: 'Acme', industry: 'Tools', email: 'owner@acme.io', phone: '+1 650 555 1212', website: 'acme.io' })).toEqual({
      kept: { name: 'Acme', industry: 'Tools', website: 'acme.io' },
      dropped: ['email', 'phone'],
    })
  })
})
