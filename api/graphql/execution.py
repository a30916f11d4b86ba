"""GraphQL execution that completes plain objects without a resolver call per field.

graphql-core resolves each field of each object on its own: a resolve-info object, a path, the
resolver, then the value's completion, about 3 µs a field here. The nodes and edges of a 500-node
ecosystem asked field by field are some 5,000 such fields: 17.7 ms against 3.9 ms for the same
answer as one `graph` value (bench/README.md, *The HTTP API end to end*). When every field selected
on an object is a plain attribute of a scalar or enum type, this context reads and serializes them in
one loop. Anything else (a resolver, an argument, a field extension, a value that fails) goes the
ordinary way, so answers and errors are those graphql-core gives.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# (response key, how to read the field's attribute, its scalar or enum type, whether null is refused)
Plan = tuple[tuple[str, Any, Any, bool], ...]


class PlainFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing objects of plain leaf fields in one loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Keyed by the field set's id, which graphql-core memoizes per selection for one execution;
        # the set is kept beside its plan so that its id cannot be reused meanwhile.
        self._plans: dict[int, tuple[GroupedFieldSet, Plan | None]] = {}

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        """Complete a list of plain objects in one loop; give anything else to graphql-core."""
        item_type = get_nullable_type(return_type.of_type)
        if isinstance(result, list) and isinstance(item_type, GraphQLObjectType):
            fields, deferred, _ = self.collect_subfields(item_type, field_details_list)
            plan = self._known_plan(item_type, fields)
            is_type_of = item_type.is_type_of
            if plan is not None and not deferred and not any(d.node.directives for d in field_details_list):
                done = []
                for item in result:
                    completed = None
                    if item is not None and (is_type_of is None or is_type_of(item, info) is True):
                        completed = _complete(plan, item, item_type.name)
                    if completed is None:
                        break  # a null, a wrong type, a failing field: graphql-core's own errors
                    done.append(completed)
                else:
                    return done
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """Complete a plain object directly; give anything else to graphql-core."""
        plan = self._known_plan(parent_type, grouped_field_set)
        if plan is not None:
            results = _complete(plan, source_value, parent_type.name)
            if results is not None:
                return results
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)

    def _known_plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> Plan | None:
        """Return the plan of a selection, made once per execution."""
        known = self._plans.get(id(grouped_field_set))
        if known is None:
            known = (grouped_field_set, self._plan(parent_type, grouped_field_set))
            self._plans[id(grouped_field_set)] = known
        return known[1]

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> Plan | None:
        """Return how to read each field of a selection, or None unless every one is a plain leaf."""
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return None  # an extension wraps every resolver: each must run
        plan: list[tuple[str, Any, Any, bool]] = []
        for key, details in grouped_field_set.items():
            node = details[0].node
            name = node.name.value
            if name == "__typename":
                plan.append((key, None, None, True))
                continue
            field = self.schema.get_field(parent_type, name)
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF) if field else None
            if (
                field is None
                or field.args
                or node.arguments
                or not isinstance(definition, StrawberryField)
                or not definition.is_basic_field
                or definition.default_resolver is not getattr  # strawberry's configurable default
                or not is_leaf_type(get_nullable_type(field.type))
            ):
                return None
            read = attrgetter(definition.python_name)
            plan.append((key, read, get_nullable_type(field.type), is_non_null_type(field.type)))
        return tuple(plan)


def _complete(plan: Plan, source: Any, type_name: str) -> dict[str, Any] | None:
    """Read and serialize the planned fields of one object; None where graphql-core must decide."""
    results: dict[str, Any] = {}
    try:
        for key, read, leaf, non_null in plan:
            if read is None:
                results[key] = type_name
                continue
            value = read(source)
            if value is None:
                if non_null:
                    return None  # graphql-core raises the error and nulls the parent
                results[key] = None
                continue
            if isinstance(value, Exception):
                return None
            serialized = leaf.serialize(value)
            if serialized is None:
                return None
            results[key] = serialized
    except Exception:  # graphql-core runs the field again and reports the error its way
        return None
    return results
