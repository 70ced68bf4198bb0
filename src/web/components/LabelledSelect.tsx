import { Select, type SelectProps } from "antd";

/**
 * antd's Select with its label given to its option list too: rc-select renders the list (role listbox)
 * without a name, which screen readers and axe report; it is named after the field's label once it opens.
 * Not virtual, so that a closed list is hidden rather than a zero-sized unnamed listbox.
 */
export function LabelledSelect<V>({ id, label, ...props }: SelectProps<V> & { id: string; label: string }) {
  return (
    <Select<V>
      {...props}
      id={id}
      virtual={false}
      onOpenChange={(open) => {
        props.onOpenChange?.(open);
        if (open)
          requestAnimationFrame(() =>
            document.getElementById(`${id}_list`)?.setAttribute("aria-label", label),
          );
      }}
    />
  );
}
