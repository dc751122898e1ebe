// Copyright 2015-2017 Piprate Limited
// Copyright 2025 Siemens AG
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
//
// This file is a modified copy of ld/api_expand.go of
// github.com/piprate/json-gold v0.9.1 (the expansion algorithm), changed by
// the Tessera authors: see the comment on expander for what was changed and
// why. Each change is marked "Tessera:" below. The licence's full text is
// in expand.LICENSE beside this file.

package jsonld

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// expander is json-gold's expansion algorithm (ld.JsonLdApi.Expand, JSON-LD
// 1.1 API §5.1.2), copied here because it has two bugs that fail W3C tests
// and that no rewriting of the input can avoid: they sit in the middle of
// the recursion (the unexported expandObject), which the exported Expand
// cannot be made to skip. The copy keeps json-gold's code and order; the
// changes, each marked "Tessera:", are:
//
//   - The fix for toRdf #tc037 and #tc038: json-gold expands the value of a
//     term aliasing @nest in the active context of the node, ignoring the
//     term's property-scoped context. §5.1.2 step 14.2.2 expands it with
//     that context applied (steps 3 and 8 with the nesting term as active
//     property).
//   - The fix for toRdf #tpr43: for a term with a scoped context json-gold
//     reads the term's container mapping and reverse flag (and its @index
//     mapping) in the context *after* applying the term's own scoped
//     context, and, when it expands the value, the term's @list container
//     and scoped context there too. A scoped context of null, or one that
//     redefines the term, thus loses them: the value of a @graph container
//     term with "@context": null was not put in a named graph. §5.1.2 reads
//     them in the active context (steps 13.5 to 13.14, and steps 3 and 5.2.2
//     of the recursion, which is passed the active context).
//   - json-gold's unexported Context.parse, called for scoped contexts with
//     flags that the exported Parse does not take, is replaced by
//     processScoped and processTypeScoped, built on Parse.
//   - Frame expansion (processing mode json-ld-1.1-expand-frame) and JSON
//     Pointer reporting (JsonLdOptions.ExpandedElementHandler), which the
//     decoder never uses, are left out.
//
// Anything else json-gold gets wrong in expansion is, as before, worked
// around outside this copy (see doc.go).
type expander struct {
	opts *ld.JsonLdOptions
	// mode10 is json-gold's activeCtx.processingMode(1.0), which reads an
	// unexported field: every context of a document has the processing
	// mode of opts, since the decoder only accepts json-ld-1.0 or -1.1 and
	// a context's @version can only confirm json-ld-1.1.
	mode10 bool
}

// newExpander returns an expander for a document processed with opts, whose
// ProcessingMode is ld.JsonLd_1_0 or ld.JsonLd_1_1.
func newExpander(opts *ld.JsonLdOptions) *expander {
	return &expander{opts: opts, mode10: opts.ProcessingMode == ld.JsonLd_1_0}
}

// expand is ld.JsonLdApi.Expand: it expands element with activeCtx.
func (e *expander) expand(activeCtx *ld.Context, element any) (any, error) {
	return e.expandElement(activeCtx, "", element, false, nil, nil)
}

// expandElement is json-gold's expandElement. Tessera: propCtx, when not
// nil, is the context in which activeProperty's term definition is read (its
// @list container and its property-scoped context) instead of activeCtx;
// expandObject passes the active context of the node there when activeCtx is
// already the term's scoped context.
func (e *expander) expandElement(activeCtx *ld.Context, activeProperty string, element any, insideIndex bool, typeScopedContext *ld.Context, propCtx *ld.Context) (any, error) {
	// 1)
	if element == nil {
		return nil, nil
	}
	if propCtx == nil {
		propCtx = activeCtx
	}

	// 3)
	switch elem := element.(type) {
	case []any:
		// 3.1)
		var resultList = make([]any, 0)
		// 3.2)
		for _, item := range elem {
			// 3.2.1)
			v, err := e.expandElement(activeCtx, activeProperty, item, insideIndex, typeScopedContext, propCtx)
			if err != nil {
				return nil, err
			}

			if activeProperty == "@list" || propCtx.HasContainerMapping(activeProperty, "@list") {
				_, isList := v.([]any)
				if isList {
					// if the active property is @list or its container mapping is set to @list and v is an array,
					// change it to a list object
					v = map[string]any{
						"@list": v,
					}
				}
			}

			if v != nil {
				// 3.2.3)
				vList, isList := v.([]any)
				if isList {
					resultList = append(resultList, vList...)
				} else {
					resultList = append(resultList, v)
				}
			}
		}
		// 3.3)
		return resultList, nil

	case map[string]any:

		// first, expand the active property
		expandedActiveProperty, err := activeCtx.ExpandIri(activeProperty, false, true, nil, nil)
		if err != nil {
			return nil, err
		}

		// Get any property-scoped context for activeProperty
		var propertyScopedCtx any
		if td := propCtx.GetTermDefinition(activeProperty); td != nil {
			propertyScopedCtx = td.Context
		}

		// Tessera: json-gold tests activeCtx.previousContext, which is
		// unexported; RevertToPreviousContext returns activeCtx itself when
		// there is none, else a copy of it, which the revert below uses.
		previousCtx := activeCtx.RevertToPreviousContext()
		hasPrevious := previousCtx != activeCtx

		// second, determine if any type-scoped context should be reverted; it
		// should only be reverted when the following are all true:
		// 1. element is not a value or subject reference
		// 2. insideIndex is false
		if typeScopedContext == nil && hasPrevious {
			typeScopedContext = activeCtx
		}

		mustRevert := !insideIndex
		elemOrderedKeys := ld.GetOrderedKeys(elem)
		elemCtx, hasContext := elem["@context"]
		if mustRevert && (typeScopedContext != nil) && len(elemOrderedKeys) <= 2 && !hasContext {
			for _, key := range elemOrderedKeys {
				expandedProperty, err := typeScopedContext.ExpandIri(key, false, true, nil, nil)
				if err != nil {
					return nil, err
				}
				if expandedProperty == "@value" {
					// value found, ensure type-scoped context is used to expand it
					mustRevert = false
					activeCtx = typeScopedContext
					break
				}
				if expandedProperty == "@id" && len(elemOrderedKeys) == 1 {
					mustRevert = false
					break
				}
			}
		}

		if mustRevert {
			activeCtx = previousCtx
		}

		if propertyScopedCtx != nil {
			// apply property-scoped context after reverting term-scoped context
			newCtx, err := processScoped(activeCtx, propertyScopedCtx)
			if err != nil {
				return nil, err
			}
			activeCtx = newCtx
		}

		// if element has a context, process it
		if hasContext {
			newCtx, err := activeCtx.Parse(elemCtx)
			if err != nil {
				return nil, err
			}
			activeCtx = newCtx
		}

		// set the type-scoped context to the context on input, for use later
		typeScopedContext = activeCtx

		var typeKey string
		// look for scoped context on @type
		for _, key := range elemOrderedKeys {
			expandedProperty, err := activeCtx.ExpandIri(key, false, true, nil, nil)
			if err != nil {
				return nil, err
			}
			if expandedProperty == "@type" {
				// set scoped contexts from @type
				types := make([]string, 0)

				switch v := elem[key].(type) {
				case []any:
					for _, t := range v {
						if typeStr, isString := t.(string); isString {
							types = append(types, typeStr)
						} else {
							return nil, ld.NewJsonLdError(ld.InvalidTypeValue,
								"@type value must be a string or array of strings")
						}
					}
					// process in lexicographical order, see https://github.com/json-ld/json-ld.org/issues/616
					sort.Strings(types)
				case string:
					types = append(types, v)
				default:
					return nil, ld.NewJsonLdError(ld.InvalidTypeValue,
						"@type value must be a string or array of strings")
				}

				for _, tt := range types {
					if td := typeScopedContext.GetTermDefinition(tt); td != nil && td.HasContext {
						newCtx, err := processTypeScoped(activeCtx, td.Context)
						if err != nil {
							return nil, err
						}
						activeCtx = newCtx
					}
				}

				typeKey = key
			}
		}

		resultMap := make(map[string]any)
		err = e.expandObject(activeCtx, activeProperty, expandedActiveProperty, elem, resultMap, typeKey, typeScopedContext)
		if err != nil {
			return nil, err
		}

		// 8)
		if rval, hasValue := resultMap["@value"]; hasValue {
			// 8.1)
			allowedKeys := map[string]any{
				"@value":     nil,
				"@index":     nil,
				"@language":  nil,
				"@type":      nil,
				"@direction": nil,
			}
			hasDisallowedKeys := false
			for key := range resultMap {
				if _, containsKey := allowedKeys[key]; !containsKey {
					hasDisallowedKeys = true
					break
				}
			}
			_, hasLanguage := resultMap["@language"]
			_, hasDirection := resultMap["@direction"]
			typeValue, hasType := resultMap["@type"]
			if hasDisallowedKeys {
				return nil, ld.NewJsonLdError(ld.InvalidValueObject, "value object has unknown keys")
			}
			if (hasLanguage || hasDirection) && hasType {
				return nil, ld.NewJsonLdError(ld.InvalidValueObject,
					"value object must not include @type with either @language or @direction")
			}
			// 8.2)
			if rval == nil && typeValue != "@json" {
				// nothing else is possible with result if we set it to
				// null, so simply return it
				return nil, nil
			}
			// 8.3)

			if hasLanguage {
				for _, v := range ld.Arrayify(rval) {
					if _, isString := v.(string); !(isString || isEmptyObject(v)) {
						return nil, ld.NewJsonLdError(ld.InvalidLanguageTaggedValue,
							"only strings may be language-tagged")
					}
				}
			} else if hasType {
				types := ld.Arrayify(typeValue)
				if !e.mode10 && len(types) == 1 && types[0] == "@json" {
					// Any value of @value is okay if @type: @json
				} else {
					for _, v := range types {
						vStr, isString := v.(string)
						if !(isEmptyObject(v) || (isString && ld.IsAbsoluteIri(vStr) && !strings.HasPrefix(vStr, "_:"))) {
							return nil, ld.NewJsonLdError(ld.InvalidTypedValue,
								"an element containing @value and @type must have an absolute IRI for the value of @type")
						}
					}
				}
			}
		} else if rtype, hasType := resultMap["@type"]; hasType { // 9)
			if _, isList := rtype.([]any); !isList {
				resultMap["@type"] = []any{rtype}
			}
		} else {
			// 10)
			rset, hasSet := resultMap["@set"]
			_, hasList := resultMap["@list"]
			if hasSet || hasList {
				// 10.1)
				maxSize := 1
				if _, hasIndex := resultMap["@index"]; hasIndex {
					maxSize = 2
				}
				if len(resultMap) > maxSize {
					return nil, ld.NewJsonLdError(ld.InvalidSetOrListObject,
						"@set or @list may only contain @index")
				}
				// 10.2)
				if hasSet {
					// result becomes an array here, thus the remaining checks
					// will never be true from here on
					// so simply return the value rather than have to make
					// result an object and cast it with every
					// other use in the function.
					return rset, nil
				}
			}
		}
		// 11)
		if _, hasLanguage := resultMap["@language"]; hasLanguage && len(resultMap) == 1 {
			resultMap = nil
		}
		// 12)
		if activeProperty == "" || activeProperty == "@graph" {
			// 12.1)
			_, hasValue := resultMap["@value"]
			_, hasList := resultMap["@list"]
			_, hasID := resultMap["@id"]
			if resultMap != nil && (len(resultMap) == 0 || hasValue || hasList) {
				resultMap = nil
			} else if resultMap != nil && hasID && len(resultMap) == 1 { // 12.2)
				resultMap = nil
			}
		}
		// 13)
		if resultMap != nil {
			return resultMap, nil
		}
		return nil, nil
	default:
		// 2) If element is a scalar
		// 2.1)
		if activeProperty == "" || activeProperty == "@graph" {
			return nil, nil
		}
		return activeCtx.ExpandValue(activeProperty, element)
	}
}

// expandObject is json-gold's expandObject.
func (e *expander) expandObject(activeCtx *ld.Context, activeProperty string, expandedActiveProperty string, elem map[string]any, resultMap map[string]any, typeKey string, typeScopedContext *ld.Context) error {
	inputType := elem[typeKey]
	if inputType != nil {
		if itArray, isArray := inputType.([]any); isArray {
			if len(itArray) > 0 {
				inputType = itArray[len(itArray)-1]
			} else {
				inputType = nil
			}
		}
		if _, isMap := inputType.(map[string]any); isMap {
			return ld.NewJsonLdError(ld.InvalidTypedValue, "@type value must be a string or array of strings")
		}
		if inputType != nil {
			var err error
			inputType, err = activeCtx.ExpandIri(inputType.(string), false, true, nil, nil)
			if err != nil {
				return err
			}
		}
	}

	// 6)
	nests := make([]string, 0)
	// 7)
	for _, key := range ld.GetOrderedKeys(elem) {
		value := elem[key]
		// 7.1)
		if key == "@context" {
			continue
		}
		// 7.2)
		expandedProperty, err := activeCtx.ExpandIri(key, false, true, nil, nil)
		if err != nil {
			return err
		}
		var expandedValue any
		// 7.3)
		if expandedProperty == "" || (!strings.Contains(expandedProperty, ":") && !ld.IsKeyword(expandedProperty)) {
			if e.opts.SafeMode {
				return ld.NewJsonLdError(ld.InvalidProperty, "Dropping property that did not expand into an absolute IRI or keyword.")
			}
			continue
		}
		// 7.4)
		if ld.IsKeyword(expandedProperty) {
			// 7.4.1)
			if expandedActiveProperty == "@reverse" {
				return ld.NewJsonLdError(ld.InvalidReversePropertyMap,
					"a keyword cannot be used as a @reverse property")
			}
			// 7.4.2)
			_, containsKey := resultMap[expandedProperty]
			if containsKey && expandedProperty != "@type" && expandedProperty != "@included" {
				return ld.NewJsonLdError(ld.CollidingKeywords, expandedProperty+" already exists in result")
			}
			// 7.4.3)
			if expandedProperty == "@id" {
				valueStr, isString := value.(string)
				if isString {
					expandedValue, err = activeCtx.ExpandIri(valueStr, true, false, nil, nil)
					if err != nil {
						return err
					}
				} else {
					return ld.NewJsonLdError(ld.InvalidIDValue, "value of @id must be a string")
				}
			} else if expandedProperty == "@included" {
				// Included blocks are treated as an array of separate object nodes sharing the same
				// referencing active_property. For 1.0, it is skipped as are other unknown keywords
				if e.mode10 {
					continue
				}

				ev, err := e.expandElement(activeCtx, activeProperty, value, false, nil, nil)
				if err != nil {
					return err
				}
				includedResult := ld.Arrayify(ev)
				for _, v := range includedResult {
					if !ld.IsSubject(v) {
						return ld.NewJsonLdError(ld.InvalidIncludedValue,
							"values of @included must expand to node objects")
					}
				}
				if prevIncluded, found := resultMap["@included"]; found {
					includedResult = append(prevIncluded.([]any), includedResult...)
				}
				expandedValue = includedResult
			} else if expandedProperty == "@type" { // 7.4.4)
				switch v := value.(type) {
				case []any:
					var expandedValueList []any
					for _, listElem := range v {
						listElemStr, isString := listElem.(string)
						if !isString {
							return ld.NewJsonLdError(ld.InvalidTypeValue,
								"@type value must be a string or array of strings")
						}
						newVal, err := typeScopedContext.ExpandIri(listElemStr, true, true, nil, nil)
						if err != nil {
							return err
						}
						expandedValueList = append(expandedValueList, newVal)
					}
					expandedValue = expandedValueList
				case string:
					expandedValue, err = typeScopedContext.ExpandIri(v, true, true, nil, nil)
					if err != nil {
						return err
					}
					if containsKey {
						expandedValue = append(ld.Arrayify(resultMap[expandedProperty]), expandedValue)
					}
				case map[string]any:
					if len(v) != 0 {
						return ld.NewJsonLdError(ld.InvalidTypeValue,
							"@type value must be a an empty object for framing")
					}
					expandedValue = value
				default:
					return ld.NewJsonLdError(ld.InvalidTypeValue, v)
				}
			} else if expandedProperty == "@graph" { // 7.4.5)
				expandedValue, err = e.expandElement(activeCtx, "@graph", value, false, nil, nil)
				if err != nil {
					return err
				}
				expandedValue = ld.Arrayify(expandedValue)
			} else if expandedProperty == "@value" { // 7.4.6)
				if inputType == "@json" && !e.mode10 {
					// allow any value, to be verified when the object is fully expanded and
					// the @type is @json.
				} else {
					_, isMap := value.(map[string]any)
					_, isList := value.([]any)
					if value != nil && (isMap || isList) {
						return ld.NewJsonLdError(ld.InvalidValueObjectValue, "value of "+
							expandedProperty+" must be a scalar or null")
					}

				}

				expandedValue = value
				if expandedValue == nil {
					resultMap["@value"] = nil
					continue
				}
			} else if expandedProperty == "@language" {

				// If expanded property is @language and value is not a string, an invalid language-tagged
				// string error has been detected and processing is aborted. Otherwise, set expanded value
				// to lowercase value.

				vStr, isString := value.(string)
				if !isString {
					return ld.NewJsonLdError(ld.InvalidLanguageTaggedString, "@language value must be a string")
				}
				expandedValue = strings.ToLower(vStr)
			} else if expandedProperty == "@direction" {

				// If expanded property is @direction and value is not either 'ltr' or 'rtl', an invalid
				// base direction error has been detected and processing is aborted. Otherwise, set
				// expanded value to value.

				if _, isString := value.(string); !isString {
					return ld.NewJsonLdError(ld.InvalidBaseDirection, "@direction must be one of 'ltr', 'rtl'")
				}
				expandedValue = value
			} else if expandedProperty == "@index" { // 7.4.8)
				_, isString := value.(string)
				if !isString {
					return ld.NewJsonLdError(ld.InvalidIndexValue, "Value of "+
						expandedProperty+" must be a string")
				}
				expandedValue = value
			} else if expandedProperty == "@list" { // 7.4.9)
				// 7.4.9.1)
				if activeProperty == "" || activeProperty == "@graph" {
					continue
				}
				// 7.4.9.2)
				expandedValue, _ = e.expandElement(activeCtx, activeProperty, value, false, nil, nil)

				// NOTE: step not in the spec yet
				expandedValue = ld.Arrayify(expandedValue)

			} else if expandedProperty == "@set" { // 7.4.10)
				expandedValue, _ = e.expandElement(activeCtx, activeProperty, value, false, nil, nil)
			} else if expandedProperty == "@reverse" { // 7.4.11)
				_, isMap := value.(map[string]any)
				if !isMap {
					return ld.NewJsonLdError(ld.InvalidReverseValue, "@reverse value must be an object")
				}
				// 7.4.11.1)
				expandedValue, err = e.expandElement(activeCtx, "@reverse", value, false, nil, nil)
				if err != nil {
					return err
				}

				// NOTE: algorithm assumes the result is a map
				// 7.4.11.2)
				reverseValue, containsReverse := expandedValue.(map[string]any)["@reverse"]
				if containsReverse {
					for property, item := range reverseValue.(map[string]any) {
						// 7.4.11.2.1)
						var propertyList []any
						if propertyValue, containsProperty := resultMap[property]; containsProperty {
							propertyList = propertyValue.([]any)
						} else {
							propertyList = make([]any, 0)
							resultMap[property] = propertyList
						}
						// 7.4.11.2.2)
						if itemList, isList := item.([]any); isList {
							propertyList = append(propertyList, itemList...)
						} else {
							propertyList = append(propertyList, item)
						}
						resultMap[property] = propertyList
					}
				}
				// 7.4.11.3)
				expandedValueMap := expandedValue.(map[string]any)
				var maxSize int
				if containsReverse {
					maxSize = 1
				} else {
					maxSize = 0
				}
				if len(expandedValueMap) > maxSize {
					var reverseMap map[string]any
					if reverseValue, containsReverse := resultMap["@reverse"]; containsReverse {
						// 7.4.11.3.2)
						reverseMap = reverseValue.(map[string]any)
					} else {
						// 7.4.11.3.1)
						reverseMap = make(map[string]any)
						resultMap["@reverse"] = reverseMap
					}

					// 7.4.11.3.3)
					for property, propertyValue := range expandedValueMap {
						if property == "@reverse" {
							continue
						}
						// 7.4.11.3.3.1)
						items := propertyValue.([]any)
						for _, item := range items {
							// 7.4.11.3.3.1.1)
							itemMap := item.(map[string]any)
							_, containsValue := itemMap["@value"]
							_, containsList := itemMap["@list"]
							if containsValue || containsList {
								return ld.NewJsonLdError(ld.InvalidReversePropertyValue, nil)
							}
							// 7.4.11.3.3.1.2)
							var propertyValueList []any
							propertyValue, containsProperty := reverseMap[property]
							if containsProperty {
								propertyValueList = propertyValue.([]any)
							} else {
								propertyValueList = make([]any, 0)
								reverseMap[property] = propertyValueList
							}
							// 7.4.11.3.3.1.3)
							reverseMap[property] = append(propertyValueList, item)
						}
					}
				}
				// 7.4.11.4)
				continue
			} else if expandedProperty == "@nest" {
				// nested keys
				nests = append(nests, key)
			} else if expandedProperty == "@default" {
				expandedValue, _ = e.expandElement(activeCtx, expandedProperty, value, false, nil, nil)
			} else if expandedProperty == "@explicit" ||
				expandedProperty == "@embed" ||
				expandedProperty == "@requireAll" ||
				expandedProperty == "@omitDefault" {
				// these values are scalars
				expandedValue = []any{value}
			}
			// 7.4.12)
			if expandedValue != nil {
				resultMap[expandedProperty] = expandedValue
			}
			// 7.4.13)
			continue
		}

		// use potential scoped context for key
		termCtx := activeCtx
		td := activeCtx.GetTermDefinition(key)
		if td != nil && td.HasContext {
			termCtx, err = processScoped(activeCtx, td.Context)
			if err != nil {
				return err
			}
		}

		// Tessera: the container mapping, reverse flag and @index mapping
		// of key are read in activeCtx (where json-gold read them in
		// termCtx), as §5.1.2 steps 13.5 to 13.14 say: key's own scoped
		// context may have removed or redefined key (toRdf #tpr43).

		valueMap, isMap := value.(map[string]any)
		if activeCtx.HasContainerMapping(key, "@language") && isMap {
			var expandedValueList []any

			dir, hasDir := td.Direction, td.HasDirection

			for _, language := range ld.GetOrderedKeys(valueMap) {
				expandedLanguage, err := termCtx.ExpandIri(language, false, true, nil, nil)
				if err != nil {
					return err
				}
				languageList := ld.Arrayify(valueMap[language])
				for _, item := range languageList {
					if item == nil {
						continue
					}

					if _, isString := item.(string); !isString {
						return ld.NewJsonLdError(ld.InvalidLanguageMapValue,
							fmt.Sprintf("expected %v to be a string", item))
					}

					v := map[string]any{
						"@value": item,
					}
					if expandedLanguage != "@none" {
						v["@language"] = strings.ToLower(language)
					}
					if hasDir {
						if dir != nil {
							v["@direction"] = dir
						}
					} else if defaultDir := termCtx.Values.Direction; defaultDir != "" {
						v["@direction"] = defaultDir
					}
					expandedValueList = append(expandedValueList, v)
				}
			}
			expandedValue = expandedValueList
		} else if activeCtx.HasContainerMapping(key, "@index") && isMap { // 7.6)
			asGraph := activeCtx.HasContainerMapping(key, "@graph")
			indexKey := "@index"
			if tdKey := activeCtx.GetTermDefinition(key); tdKey != nil && tdKey.Index != "" {
				indexKey = tdKey.Index
			}
			var propertyIndex string
			if indexKey != "@index" {
				propertyIndex, err = activeCtx.ExpandIri(indexKey, false, true, nil, nil)
				if err != nil {
					return err
				}
			}
			expandedValue, err = e.expandIndexMap(termCtx, key, valueMap, indexKey, asGraph, propertyIndex)
			if err != nil {
				return err
			}
		} else if activeCtx.HasContainerMapping(key, "@id") && isMap {
			asGraph := activeCtx.HasContainerMapping(key, "@graph")
			expandedValue, err = e.expandIndexMap(termCtx, key, valueMap, "@id", asGraph, "")
			if err != nil {
				return err
			}
		} else if activeCtx.HasContainerMapping(key, "@type") && isMap {
			// since container is @type, revert type scoped context when expanding
			expandedValue, err = e.expandIndexMap(termCtx.RevertToPreviousContext(), key, valueMap, "@type",
				false, "")
			if err != nil {
				return err
			}
		} else {
			isList := expandedProperty == "@list"
			tdKey := activeCtx.GetTermDefinition(key)
			if isList || expandedProperty == "@set" {
				nextActiveProperty := activeProperty
				if isList && expandedActiveProperty == "@graph" {
					nextActiveProperty = ""
				}
				expandedValue, err = e.expandElement(termCtx, nextActiveProperty, value, false, nil, nil)
				if err != nil {
					return err
				}
			} else if tdKey != nil && tdKey.Type == "@json" {
				expandedValue = map[string]any{
					"@type":  "@json",
					"@value": value,
				}
			} else {
				// 7.7)
				// Tessera: key's term definition is read in activeCtx.
				expandedValue, err = e.expandElement(termCtx, key, value, false, nil, activeCtx)
				if err != nil {
					return err
				}
			}
		}

		// 7.8)
		if expandedValue == nil {
			continue
		}
		// 7.9)
		if activeCtx.HasContainerMapping(key, "@list") {
			expandedValueMap, isMap := expandedValue.(map[string]any)
			_, containsList := expandedValueMap["@list"]
			if !isMap || !containsList {
				newExpandedValue := make(map[string]any, 1)
				_, isList := expandedValue.([]any)
				if !isList {
					newExpandedValue["@list"] = []any{expandedValue}
				} else {
					newExpandedValue["@list"] = expandedValue
				}
				expandedValue = newExpandedValue
			}
		}

		isContainerGraph := activeCtx.HasContainerMapping(key, "@graph")
		isContainerID := activeCtx.HasContainerMapping(key, "@id")
		isContainerIndex := activeCtx.HasContainerMapping(key, "@index")
		if isContainerGraph && !isContainerID && !isContainerIndex {
			evList := ld.Arrayify(expandedValue)
			rVal := make([]any, 0)
			for _, ev := range evList {
				ev = map[string]any{
					"@graph": ld.Arrayify(ev),
				}
				rVal = append(rVal, ev)
			}
			expandedValue = rVal
		}

		// 7.10)
		if activeCtx.IsReverseProperty(key) {
			var reverseMap map[string]any
			if reverseValue, containsReverse := resultMap["@reverse"]; containsReverse {
				// 7.10.2)
				reverseMap = reverseValue.(map[string]any)
			} else {
				// 7.10.1)
				reverseMap = make(map[string]any)
				resultMap["@reverse"] = reverseMap
			}

			// 7.10.3)
			expandedValueList, isList := expandedValue.([]any)
			if !isList {
				expandedValueList = []any{expandedValue}
				expandedValue = expandedValueList
			}
			// 7.10.4)
			for _, item := range expandedValueList {

				// 7.10.4.2)
				var expandedPropertyList []any
				expandedPropertyValue, containsExpandedProperty := reverseMap[expandedProperty]
				if containsExpandedProperty {
					expandedPropertyList = expandedPropertyValue.([]any)
				} else {
					expandedPropertyList = make([]any, 0)
				}

				switch v := item.(type) {
				case map[string]any:
					// 7.10.4.1)
					_, containsValue := v["@value"]
					_, containsList := v["@list"]
					if containsValue || containsList {
						return ld.NewJsonLdError(ld.InvalidReversePropertyValue, nil)
					}
					expandedPropertyList = append(expandedPropertyList, v)
				case []any:
					// 7.10.4.3)
					expandedPropertyList = append(expandedPropertyList, v...)
				default:
					expandedPropertyList = append(expandedPropertyList, v)
				}
				reverseMap[expandedProperty] = expandedPropertyList
			}
		} else { // 7.11)
			// 7.11.1)
			var expandedPropertyList []any
			expandedPropertyValue, containsExpandedProperty := resultMap[expandedProperty]
			if containsExpandedProperty {
				expandedPropertyList = expandedPropertyValue.([]any)
			} else {
				expandedPropertyList = make([]any, 0)
				resultMap[expandedProperty] = expandedPropertyList
			}
			// 7.11.2)
			if expandedValueList, isList := expandedValue.([]any); isList {
				expandedPropertyList = append(expandedPropertyList, expandedValueList...)
			} else {
				expandedPropertyList = append(expandedPropertyList, expandedValue)
			}
			resultMap[expandedProperty] = expandedPropertyList
		}
	}

	// expand each nested key
	for _, n := range nests {
		// Tessera: the nested values are expanded with the nesting term's
		// property-scoped context applied, as §5.1.2 step 14.2.2 says
		// ("using nesting-key for active property": steps 3 and 8 apply
		// its scoped context, with override protected); json-gold used
		// activeCtx as it is (toRdf #tc037, #tc038). The scoped context
		// applies to the values of this nesting key only.
		nestCtx := activeCtx
		if td := activeCtx.GetTermDefinition(n); td != nil && td.HasContext {
			var err error
			nestCtx, err = processScoped(activeCtx, td.Context)
			if err != nil {
				return err
			}
		}
		for _, nv := range ld.Arrayify(elem[n]) {
			nvMap, isMap := nv.(map[string]any)
			hasValues := false
			if isMap {
				for k := range nvMap {
					expanded, _ := activeCtx.ExpandIri(k, false, true, nil, nil)
					if expanded == "@value" {
						hasValues = true
						break
					}
				}
			}
			if !isMap || hasValues {
				return ld.NewJsonLdError(ld.InvalidNestValue, "nested value must be a node object")
			}
			err := e.expandObject(nestCtx, activeProperty, expandedActiveProperty, nvMap, resultMap, typeKey, typeScopedContext)
			if err != nil {
				return err
			}
		}
	}

	return nil
}

// expandIndexMap is json-gold's expandIndexMap.
func (e *expander) expandIndexMap(activeCtx *ld.Context, activeProperty string, value map[string]any, indexKey string, asGraph bool, propertyIndex string) (any, error) {
	// 7.6.1)
	var expandedValueList []any
	// 7.6.2)
	for _, key := range ld.GetOrderedKeys(value) {
		indexValue := value[key]

		indexCtx := activeCtx
		// if indexKey is @type, there may be a context defined for it
		if td := activeCtx.GetTermDefinition(key); indexKey == "@type" && td != nil && td.HasContext {
			newCtx, err := activeCtx.Parse(td.Context)
			if err != nil {
				return nil, err
			}
			indexCtx = newCtx
		}

		// 7.6.2.1)
		indexValue = ld.Arrayify(indexValue)

		// 7.6.2.2)
		indexValue, err := e.expandElement(indexCtx, activeProperty, indexValue, true, nil, nil)
		if err != nil {
			return nil, err
		}

		// expand for @type, but also for @none
		var expandedKey any
		if propertyIndex != "" {
			if key == "@none" {
				expandedKey = "@none"
			} else {
				expandedKeyVal, err := indexCtx.ExpandValue(indexKey, key)
				if err != nil {
					return nil, err
				}
				expandedKey = expandedKeyVal
			}
		} else {
			expandedKey, err = indexCtx.ExpandIri(key, false, true, nil, nil)
			if err != nil {
				return nil, err
			}
		}

		if indexKey == "@id" {
			// expand document relative
			key, err = indexCtx.ExpandIri(key, true, false, nil, nil)
			if err != nil {
				return nil, err
			}
		} else if indexKey == "@type" {
			key = expandedKey.(string)
		}

		// 7.6.2.3)
		for _, itemValue := range indexValue.([]any) {
			if asGraph && !ld.IsGraph(itemValue) {
				itemValue = map[string]any{
					"@graph": ld.Arrayify(itemValue),
				}
			}
			item := itemValue.(map[string]any)
			if indexKey == "@type" {
				if expandedKey == "@none" {
					// ignore @none
				} else if types, hasType := item["@type"]; hasType {
					switch v := types.(type) {
					case string:
						item["@type"] = []any{key, v}
					case []any:
						item["@type"] = append([]any{key}, v...)
					}
				} else {
					item["@type"] = []any{key}
				}
			} else if ld.IsValue(item) && indexKey != "@language" && indexKey != "@type" && indexKey != "@index" {
				return nil, ld.NewJsonLdError(ld.InvalidValueObject,
					fmt.Sprintf("Attempt to add illegal key to value object: %s", indexKey))
			} else if propertyIndex != "" {
				// index is a property to be expanded, and values interpreted for that property
				if expandedKey != "@none" {
					// expand key as a value
					ld.AddValue(item, propertyIndex, expandedKey, true, false, true, true)
				}

			} else if _, containsKey := item[indexKey]; !containsKey && expandedKey != "@none" {
				// 7.6.2.3.1)
				item[indexKey] = key
			}

			// 7.6.2.3.2)
			expandedValueList = append(expandedValueList, item)
		}
	}
	return expandedValueList, nil
}

// isEmptyObject is json-gold's isEmptyObject.
func isEmptyObject(v any) bool {
	vMap, isMap := v.(map[string]any)
	return isMap && len(vMap) == 0
}
