/**
 * Creates an element. Attributes starting with `on` become event listeners;
 * children are nodes or text, and text is never parsed as HTML — customer
 * input is shown as typed.
 *
 * @example
 * h('a', { href: '/cart.html' }, 'Cart (', count, ')')
 * h('button', { type: 'button', onclick: () => pay() }, 'Pay')
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value)
    else element.setAttribute(name, value)
  }
  element.append(...children)
  return element
}
